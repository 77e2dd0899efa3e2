"""The participant roster and outreach (sosialisasi) of contract section 8."""
