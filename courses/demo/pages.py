"""The demo site's home page and the index pages of the course and the facilitator guides."""

COURSE_INDEX = {
    "slug": "kursus",
    "title": "Kursus",
    "intro": "<p>Kurikulum Training for Trainers (TOT) untuk pendamping Purna Pekerja Migran Indonesia "
    "di titik layanan BP2MI, LTSA dan konter layanan Prakerja.</p>",
}

HOME = {
    "slug": "beranda",
    "title": "Belajar mendampingi Purna PMI di Kartu Prakerja",
    "intro": "<p>Ruang belajar bagi pelatih di <b>92 titik layanan</b> yang membantu Purna Pekerja Migran "
    "Indonesia mendaftar Kartu Prakerja, memilih dan membeli pelatihan, menyelesaikannya, sampai menerima "
    "insentif. Dibuat hemat kuota, nyaman dibaca di ponsel, dan bisa dilanjutkan kapan saja.</p>",
}

GUIDE_INDEX = {
    "slug": "panduan-fasilitator",
    "title": "Panduan fasilitator",
    "intro": "<p>Rencana sesi yang siap dipakai di titik layanan. Cetak, bawa ke meja layanan, dan ikuti "
    "agendanya. Setiap panduan terkait dengan modul kursus yang membahas materinya.</p>",
}
