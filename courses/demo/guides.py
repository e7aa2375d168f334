"""The demo's facilitator guides: session plans for the service points, each tied to a module of the
demo course (by slug) and handing out the documents of `courses.demo.media` (by key)."""


def step(minutes: int, activity: str, method: str = "", materials: str = "") -> dict:
    return {"minutes": minutes, "activity": activity, "method": method, "materials": materials}


GUIDES = [
    {
        "slug": "minggu-pertama-konter-layanan",
        "title": "Minggu pertama konter layanan Prakerja",
        "summary": "Rencana sesi pembukaan untuk tim konter yang baru beroperasi: menyiapkan meja layanan, "
        "membagi peran, dan melayani lima peserta pertama bersama-sama.",
        "course": True,
        "module": "pendaftaran-dan-seleksi",
        "duration": 120,
        "audience": "Tim konter layanan (2\u20134 petugas) dan 5 Purna PMI peserta pertama",
        "goals": "<ul><li>Tim konter memahami alur layanan dari penyambutan sampai pencatatan.</li>"
        "<li>Setiap petugas tahu perannya dan batasan pendampingan (tanpa OTP, tanpa menyimpan data).</li>"
        "<li>Lima peserta pertama berhasil membuat akun dan bergabung ke gelombang.</li></ul>",
        "agenda": [
            step(15, "Pembukaan dan perkenalan tim", "Diskusi singkat", "Daftar hadir, papan nama"),
            step(
                20,
                "Menata meja layanan dan memeriksa wifi",
                "Praktik bersama",
                "Ponsel contoh, titik akses wifi, nomor antrean",
            ),
            step(
                15,
                "Membagi peran: penyambut, pendamping, pencatat",
                "Curah pendapat",
                "Kertas plano, spidol",
            ),
            step(
                45,
                "Melayani lima peserta pertama",
                "Tunjukkan\u2013Coba\u2013Ulangi, satu pendamping per peserta",
                "Lembar periksa pendaftaran, ponsel peserta",
            ),
            step(15, "Refleksi: apa yang berjalan, apa yang macet", "Diskusi kelompok", "Buku layanan"),
            step(10, "Rencana minggu pertama dan jadwal piket", "Kesepakatan tim", "Kalender piket"),
        ],
        "materials": [
            "Satu ponsel contoh dengan layar bersih dan baterai penuh",
            "Akses wifi titik layanan beserta kata sandinya ditulis di papan",
            "Lembar periksa pendaftaran dicetak 10 lembar",
            "Nomor antrean dan buku layanan",
            "Poster \u201cLayanan gratis \u2013 jangan berikan OTP kepada siapa pun\u201d",
        ],
        "handouts": [
            ("registration_checklist", "Lembar periksa pendaftaran", "Untuk setiap peserta yang dilayani."),
            ("glossary", "Kamus kecil istilah Prakerja", "Tempel satu lembar di meja layanan."),
        ],
        "notes": "<p>Pada minggu pertama, antrean biasanya panjang karena kabar menyebar cepat di "
        "kampung. Batasi 8\u201310 peserta per hari per pendamping dan beri jadwal kunjungan kepada yang "
        "belum terlayani. Laporkan jumlah peserta dan kendala utama kepada koordinator setiap Jumat.</p>",
    },
    {
        "slug": "sesi-kelompok-mendaftar-dari-ponsel",
        "title": "Sesi kelompok: mendaftar Kartu Prakerja dari ponsel",
        "summary": "Sesi 90 menit untuk 8\u201312 Purna PMI yang belum pernah mengisi formulir daring, "
        "dari membuat e-mail sampai bergabung ke gelombang.",
        "course": True,
        "module": "keterampilan-fasilitasi-dan-literasi-digital",
        "duration": 90,
        "audience": "8\u201312 Purna PMI, dibantu 2 pendamping",
        "goals": "<ul><li>Peserta memiliki e-mail aktif dan bisa membukanya sendiri.</li>"
        "<li>Peserta membuat akun Prakerja dan memverifikasi data diri.</li>"
        "<li>Peserta tahu cara mengenali penipuan dan tidak membagikan kode OTP.</li></ul>",
        "agenda": [
            step(10, "Salam pembuka dan cerita pengalaman kerja", "Lingkaran cerita"),
            step(
                15,
                "Mengenal Kartu Prakerja: lima langkah perjalanan",
                "Penjelasan dengan gambar",
                "Poster alur Prakerja",
            ),
            step(20, "Membuat dan membuka e-mail", "Tunjukkan\u2013Coba\u2013Ulangi", "Ponsel contoh, wifi"),
            step(
                30,
                "Membuat akun Prakerja dan verifikasi data",
                "Praktik berpasangan",
                "KTP, KK, lembar periksa pendaftaran",
            ),
            step(10, "Waspada penipuan dan tanya jawab", "Permainan benar atau salah", "Kartu pernyataan"),
            step(5, "Penutup: langkah berikutnya dan jadwal kunjungan", "Ringkasan lisan"),
        ],
        "materials": [
            "Poster alur Program Kartu Prakerja",
            "Ponsel contoh dan proyektor kecil bila ada",
            "Kartu pernyataan benar/salah tentang penipuan",
            "Lembar periksa pendaftaran untuk setiap peserta",
        ],
        "handouts": [
            ("registration_checklist", "Lembar periksa pendaftaran", ""),
            ("glossary", "Kamus kecil istilah Prakerja", "Dibawa pulang peserta."),
        ],
        "notes": "<p>Pasangkan peserta yang lebih lancar memakai ponsel dengan yang belum. Pastikan setiap "
        "peserta memegang ponselnya sendiri. Bila sinyal lemah, lakukan verifikasi bergiliran agar wifi "
        "tidak penuh.</p>",
    },
    {
        "slug": "klinik-insentif",
        "title": "Klinik insentif: memeriksa status dan rekening",
        "summary": "Sesi konsultasi 60 menit bagi peserta yang insentifnya belum masuk.",
        "course": True,
        "module": "menerima-insentif",
        "duration": 60,
        "audience": "Peserta yang sudah menyelesaikan pelatihan pertama",
        "goals": "<ul><li>Setiap peserta tahu syarat insentif mana yang belum terpenuhi.</li>"
        "<li>E-wallet atau rekening terhubung atas nama peserta sendiri.</li></ul>",
        "agenda": [
            step(10, "Pembukaan dan penjelasan syarat insentif", "Penjelasan singkat"),
            step(30, "Pemeriksaan dasbor satu per satu", "Konsultasi individual", "Daftar periksa insentif"),
            step(15, "Menghubungkan e-wallet atau rekening", "Pendampingan individual", "Ponsel peserta"),
            step(5, "Penutup dan pencatatan kasus", "Pencatatan", "Buku layanan"),
        ],
        "materials": ["Daftar periksa syarat insentif", "Buku layanan"],
        "handouts": [],
        "notes": "<p>Jangan menjanjikan tanggal pencairan. Catat kasus yang belum selesai dan periksa kembali "
        "bersama peserta minggu berikutnya.</p>",
    },
]
