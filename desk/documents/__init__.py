"""Printable documents of contract section 9: a batch's daftar nominatif and berita acara, a paid
claim's bukti bayar (PDF, via `desk.documents.pdf`, the one renderer)."""
