"""The demo's people: NTT names, NIKs of the kabupaten they live in, and heirs that fit the benefit.

Shared by the demo data (`demo.data`) and the demo BPJS (`demo.simulate.bpjs`), so both name
beneficiaries the way the pre-payout beneficiary rule (contract section 7, check 5) allows.
"""

from __future__ import annotations

import datetime as dt
import random

FIRST_MEN = ("Yohanes", "Petrus", "Agustinus", "Fransiskus", "Yosef", "Antonius", "Yakobus", "Markus",
             "Simon", "Dominikus", "Kornelis", "Aleksander", "Marthen", "Yulius", "Imanuel",
             "Ferdinandus", "Benediktus", "Stefanus", "Paulus", "Gabriel", "Arnoldus", "Hendrikus",
             "Matheus", "Daniel", "Umbu", "Ama", "Lukas", "Vinsensius", "Kristoforus", "Rafael")
FIRST_WOMEN = ("Maria", "Elisabeth", "Theresia", "Veronika", "Agnes", "Katarina", "Fransiska",
               "Magdalena", "Yuliana", "Margaretha", "Anastasia", "Rosalia", "Skolastika", "Yasinta",
               "Martha", "Adriana", "Dorkas", "Naomi", "Ina", "Rambu", "Priska", "Florentina")
SURNAMES = ("Ndun", "Tefa", "Manafe", "Lado", "Bere", "Nahak", "Seran", "Mau", "Koli", "Lake", "Wadu",
            "Ratu", "Lewar", "Kaka", "Tanggu", "Mbete", "Jawa", "Da Costa", "Fernandez", "Sogen",
            "Kleden", "Bolen", "Boli", "Laka", "Nenobais", "Hede", "Djami", "Ataupah", "Tualaka",
            "Benu", "Messakh", "Riwu", "Lusi", "Pandie", "Kana", "Nalle", "Amalo", "Bria", "Klau",
            "Taek", "Leki", "Dapa", "Wungu", "Hambandima", "Ngongo", "Rihi", "Lomi", "Ora", "Mone")


# -- beneficiaries that fit the benefit (the pre-payout beneficiary rule) ---------------------
# Heirs of a death benefit, in the order of the regulation, with how often the demo names them.
DEATH_HEIRS = (("SPOUSE", 58), ("CHILD", 20), ("PARENT", 10), ("SIBLING", 4), ("GRANDCHILD", 2),
               ("GRANDPARENT", 1), ("PARENT_IN_LAW", 3), ("TESTAMENT", 2))
OWN_BENEFITS = frozenset({"JKK_STMB", "JKK_CACAT", "JKK_PENGGANTIAN_BIAYA"})  # to the worker, or a wali


def nik(kabupaten: str, born: dt.date, woman: bool, rnd: random.Random) -> str:
    """A valid NIK of someone living in `kabupaten` (its first 4 digits): kecamatan, birth date
    DDMMYY (a woman's day plus 40), then a serial that is never 0000."""
    day = born.day + (40 if woman else 0)
    return f"{kabupaten}{rnd.randint(1, 20):02d}{day:02d}{born.month:02d}{born.year % 100:02d}" \
           f"{rnd.randint(1, 9999):04d}"


def relative(worker: dict, relation: str, rnd: random.Random, born_from: int = 1950,
             born_to: int = 2006) -> dict:
    """Someone of the worker's family and kabupaten, as the beneficiary fields of a claim."""
    woman = rnd.random() < 0.6
    surname = worker["name"].split(" ", 1)[1]
    born = dt.date(rnd.randint(born_from, born_to), rnd.randint(1, 12), rnd.randint(1, 28))
    return {"beneficiary_name": f"{rnd.choice(FIRST_WOMEN if woman else FIRST_MEN)} {surname}",
            "beneficiary_relation": relation,
            "beneficiary_nik": nik(worker["kabupaten_code"], born, woman, rnd)}


def death_heir(worker: dict, rnd: random.Random) -> dict:
    relations, weights = zip(*DEATH_HEIRS, strict=True)
    return relative(worker, rnd.choices(relations, weights)[0], rnd)


def beneficiary_for(benefit: str, worker: dict, heir: dict, rnd: random.Random) -> dict:
    """Who receives `benefit`: the worker (now and then a wali) for his own benefits, a child
    or a wali for a scholarship, the heir for a death (the funeral sometimes to whoever paid it)."""
    if benefit in OWN_BENEFITS:
        if rnd.random() < 0.03:
            return relative(worker, "GUARDIAN", rnd, born_to=1990)
        return {"beneficiary_name": worker["name"], "beneficiary_relation": "SELF",
                "beneficiary_nik": worker["nik"]}
    if benefit == "BEASISWA":
        if rnd.random() < 0.5:
            return {**heir, "beneficiary_relation": "GUARDIAN"}  # the heir, as the child's wali
        return relative(worker, "CHILD", rnd, born_from=2005, born_to=2018)
    if benefit == "JKK_PEMAKAMAN" and rnd.random() < 0.15:
        return relative(worker, "FUNERAL_ORGANISER", rnd, born_to=1995)
    return heir
