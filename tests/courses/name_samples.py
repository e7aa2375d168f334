"""Names as people in Indonesia write them, for the name rule and the certificate tests."""

# Real names as people in Indonesia write them, in every script the certificate prints
NAMES = {
    "latin": "Siti Nurhaliza Rahmawati, S.Pd.",
    "latin diacritics": "Nguyễn Thị Ánh Tuyết",
    "apostrophe": "Ma’ruf O'Brien-Siregar",
    "javanese": "ꦱꦶꦠꦶ ꦫꦃꦩꦮꦠꦶ",
    "javanese pasangan": "ꦧꦸꦝꦶ ꦱꦤ꧀ꦠꦺꦴꦱ",
    "balinese": "ᬇ ᬕᬸᬲ᭄ᬢᬶ ᬧᬸᬢᬸ",
    "sundanese": "ᮃᮒᮤᮀ ᮞᮥᮔᮓ",
    "arabic": "سيتي نور حليزة",
    "jawi letters": "ڠاه ڽاي چيڤ",
}
LONGEST = {
    "200 × W": "W" * 200,
    "a 200-character word": ("Kusumaningrum" * 16)[:200],
    "200 characters of words": ("Raden Roro Siti Nurhaliza Rahmawati " * 6)[:200].strip(),
    "javanese": ("ꦱꦶꦠꦶ ꦫꦃꦩꦮꦠꦶ ꦥꦸꦠꦿꦶ " * 12)[:200].strip(),
    "arabic": ("سيتي نور حليزة رحماواتي " * 9)[:200].strip(),
    "balinese": ("ᬕᬸᬲ᭄ᬢᬶ ᬧᬸᬢᬸ ᬯᬶᬭᬯᬦ᭄ " * 12)[:200].strip(),
    "sundanese": ("ᮃᮒᮤᮀ ᮞᮥᮔᮓ ᮛᮂᮙᮝᮒᮤ " * 12)[:200].strip(),
}
