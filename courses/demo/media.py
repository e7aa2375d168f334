"""The demo's images and handouts: what they show. `courses.demo.artwork` draws them and the seeder
stores them once, as Wagtail images and documents, under the titles given here."""

IMAGES = {
    "journey": {
        "title": "Alur Program Kartu Prakerja untuk Purna PMI",
        "steps": ["Daftar", "Seleksi", "Beli pelatihan", "Ikuti & beri ulasan", "Insentif"],
        "heading": "Perjalanan peserta Kartu Prakerja",
    },
    "counter": {
        "title": "Alur layanan di konter pendampingan",
        "steps": ["Sambut", "Cek dokumen", "Dampingi", "Catat", "Tindak lanjut"],
        "heading": "Lima langkah layanan di konter",
    },
}

DOCUMENTS = {
    "registration_checklist": {
        "title": "Lembar periksa pendaftaran Kartu Prakerja",
        "filename": "lembar-periksa-pendaftaran-prakerja.pdf",
        "heading": "Lembar periksa pendaftaran Kartu Prakerja",
        "intro": "Bawa lembar ini saat datang ke titik layanan. Centang setiap butir bersama pendamping.",
        "items": [
            "KTP elektronik asli (NIK dan nomor KK harus sesuai data Dukcapil)",
            "Kartu Keluarga atau fotonya, untuk menyalin nomor KK",
            "Ponsel dengan nomor aktif milik sendiri yang bisa menerima SMS",
            "Alamat e-mail yang bisa dibuka (pendamping dapat membantu membuatnya)",
            "Kata sandi dicatat di tempat aman, tidak diberikan kepada siapa pun",
            "Akun e-wallet atau rekening bank atas nama sendiri untuk menerima insentif",
            "Sisa kuota internet atau akses wifi titik layanan",
        ],
        "footer": "Petugas tidak akan pernah meminta kode OTP atau kata sandi Anda. Layanan pendampingan gratis.",
    },
    "glossary": {
        "title": "Kamus kecil istilah Prakerja",
        "filename": "kamus-istilah-prakerja.pdf",
        "heading": "Kamus kecil istilah Prakerja",
        "intro": "Istilah yang sering muncul di situs dan aplikasi Prakerja, dengan penjelasan sederhana.",
        "items": [
            "Gelombang: periode pendaftaran dan seleksi; setiap gelombang punya kuota",
            "Dasbor: halaman akun Anda di prakerja.go.id setelah masuk",
            "OTP: kode rahasia sekali pakai yang dikirim lewat SMS; jangan dibagikan",
            "Platform digital: tempat membeli pelatihan, misalnya marketplace mitra resmi",
            "Lembaga pelatihan: penyelenggara kelas yang dibeli dengan saldo Kartu Prakerja",
            "Kode voucher dan kode redeem: kode untuk menukarkan pelatihan yang sudah dibeli",
            "Ulasan dan rating: penilaian bintang 1–5 yang wajib diberikan setelah pelatihan selesai",
            "Insentif: dana yang dikirim ke e-wallet atau rekening setelah syarat terpenuhi",
        ],
        "footer": "Informasi resmi hanya di www.prakerja.go.id dan akun media sosial resmi Prakerja.",
    },
}
