"""The languages of the catalogue."""

VI = "vi"
EN = "en"
LANGUAGES = (VI, EN)
