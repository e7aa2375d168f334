"""The demo course: the TOT curriculum for trainers who accompany Purna PMI (returning Indonesian
migrant workers) through the Kartu Prakerja programme, based on the June 2021 TOT held by the
Prakerja programme management and BP2MI. Figures such as the budget and incentive amounts are those
of the 2021 programme; the lessons tell trainers to check current rules.

Plain data; `courses.demo.seed` turns it into pages.
"""

from courses.demo.blocks import checklist, document, facilitator, image, question, quiz, text, tip, warning

COURSE = {
    "slug": "pendampingan-purna-pmi-kartu-prakerja",
    "title": "Pendampingan Purna PMI dalam Program Kartu Prakerja",
    "summary": "Kurikulum TOT bagi petugas titik layanan BP2MI, LTSA dan konter Prakerja untuk mendampingi "
    "Purna PMI sejak pendaftaran, pembelian pelatihan, pelaksanaan pelatihan, sampai penerimaan insentif.",
    "intro": "<p>Banyak Purna PMI ingin ikut Kartu Prakerja, tetapi terhambat literasi digital dan biaya "
    "kuota. Kursus ini membekali Anda, pelatih di titik layanan, agar bisa menjadi pendamping yang sabar, "
    "teliti dan aman: menjelaskan dengan bahasa sederhana, menunjukkan langkah demi langkah, dan menjaga "
    "data pribadi peserta.</p><p>Setiap modul diakhiri kuis singkat. Kursus dinyatakan selesai bila semua "
    "pelajaran wajib sudah dibaca dan semua kuis lulus.</p>",
    "outcomes": [
        "Menjelaskan alur Program Kartu Prakerja dari pendaftaran sampai insentif dengan bahasa sederhana.",
        "Mendampingi Purna PMI membuat akun, lolos verifikasi dan mengikuti seleksi gelombang.",
        "Membantu peserta memilih pelatihan yang sesuai rencana kerja atau usahanya.",
        "Memastikan peserta menyelesaikan pelatihan, memberi ulasan dan menerima insentif tepat waktu.",
        "Melatih peserta yang belum pernah mengisi formulir daring tanpa mengambil alih ponselnya.",
        "Menjaga kerahasiaan data pribadi dan mencegah peserta tertipu calo.",
    ],
    "estimated_hours": "6.0",
    "level": "basic",
    "pass_mark": 70,
    # Completing the course issues the certificate straight away: that is what trainers expect.
    "auto_issue_certificate": True,
    "modules": [],
}

# Module 1 ------------------------------------------------------------------------------------------

COURSE["modules"].append(
    {
        "slug": "pendaftaran-dan-seleksi",
        "title": "Pendaftaran dan seleksi",
        "summary": "Mengenal program, menyiapkan dokumen, membuat akun di prakerja.go.id dan mengikuti "
        "seleksi gelombang.",
        "lessons": [
            {
                "slug": "mengenal-program-kartu-prakerja",
                "title": "Mengenal Program Kartu Prakerja dan peran titik layanan",
                "intro": "Apa itu Kartu Prakerja, mengapa Purna PMI perlu didampingi, dan apa tugas Anda.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Program untuk meningkatkan keterampilan</h2>
<p>Kartu Prakerja adalah program pengembangan kompetensi kerja dan kewirausahaan dari pemerintah.
Peserta yang lolos seleksi mendapat saldo untuk membeli pelatihan, lalu menerima insentif setelah
menyelesaikan pelatihan pertamanya. Program ini terbuka bagi warga negara Indonesia berusia 18 tahun
ke atas yang tidak sedang menempuh pendidikan formal, termasuk pekerja migran yang sudah pulang.</p>
<p>Sejak 2021, Manajemen Pelaksana Program Kartu Prakerja bekerja sama dengan Badan Pelindungan
Pekerja Migran Indonesia (BP2MI). Pada 2020 sekitar <b>110 ribu Purna PMI</b> menjadi penerima Kartu
Prakerja. Untuk menjangkau lebih banyak lagi, pelatih seperti Anda disiapkan untuk melayani di
<b>92 titik layanan</b> pendamping: kantor UPT BP2MI, Layanan Terpadu Satu Atap (LTSA), dan konter
layanan Prakerja.</p>
"""),
                    image(
                        "journey",
                        "Diagram lima langkah: daftar, seleksi, beli pelatihan, ikuti dan beri ulasan, insentif.",
                        "Lima tahap yang akan Anda dampingi, dari pendaftaran sampai insentif.",
                    ),
                    text("""
<h2>Mengapa Purna PMI perlu didampingi</h2>
<p>Banyak Purna PMI punya niat besar untuk ikut, tetapi menghadapi keterbatasan. Sebagian belum
terbiasa mengisi formulir daring atau belum punya alamat e-mail. Sebagian lain harus berhemat kuota
internet. Ada juga yang belum tahu bahwa program ini ada, atau pernah mendengar kabar yang keliru.</p>
<p>Pendampingan di titik layanan mencakup empat tahap: <b>pendaftaran</b>, <b>pembelian pelatihan</b>,
<b>pelaksanaan pelatihan</b>, dan <b>penerimaan insentif</b>. Tugas Anda bukan mengerjakan semuanya
untuk peserta, tetapi memastikan peserta bisa melakukannya sendiri dengan benar dan aman.</p>
"""),
                    tip(
                        "<p>Buka percakapan dengan pertanyaan tentang rencana peserta: ingin bekerja di mana, "
                        "atau usaha apa yang ingin dirintis. Rencana itu akan memandu pilihan pelatihan "
                        "nanti.</p>",
                        "Mulai dari tujuan peserta",
                    ),
                    checklist(
                        "Peran Anda sebagai pendamping",
                        [
                            "Menjelaskan program dengan bahasa sederhana dan jujur, tanpa menjanjikan kelulusan",
                            "Menunjukkan langkah di ponsel peserta, lalu membiarkan peserta mencobanya sendiri",
                            "Menjaga kerahasiaan data pribadi peserta",
                            "Mencatat kendala yang sering muncul dan melaporkannya kepada koordinator",
                            "Mengingatkan tenggat waktu: pembelian pelatihan, ulasan, dan data rekening",
                        ],
                    ),
                ],
            },
            {
                "slug": "membuat-akun-dan-verifikasi",
                "title": "Membuat akun dan verifikasi data",
                "intro": "Langkah membuat akun di prakerja.go.id, verifikasi e-mail dan nomor ponsel, dan "
                "mengisi data diri sesuai KTP.",
                "minutes": 20,
                "body": [
                    text("""
<h2>Sebelum mulai</h2>
<p>Pastikan peserta membawa KTP elektronik, Kartu Keluarga (atau fotonya), dan ponsel dengan nomor
aktif miliknya sendiri. Nomor ponsel dan e-mail akan dipakai untuk kode verifikasi dan pemberitahuan
penting, jadi jangan memakai nomor atau e-mail milik pendamping atau kerabat.</p>
<h2>Langkah membuat akun</h2>
<ol>
<li>Buka <b>www.prakerja.go.id</b> lewat peramban ponsel, lalu pilih <b>Daftar</b>.</li>
<li>Isi alamat e-mail, kata sandi, dan konfirmasi kata sandi. Minta peserta mengetik sendiri kata
sandinya dan mencatatnya di tempat aman.</li>
<li>Buka kotak masuk e-mail dan klik tautan verifikasi. Jika tidak ada, periksa folder Spam.</li>
<li>Masuk kembali, isi NIK, nomor KK, dan tanggal lahir sesuai KTP. Data ini dicocokkan dengan data
kependudukan (Dukcapil).</li>
<li>Verifikasi nomor ponsel dengan kode OTP yang dikirim lewat SMS.</li>
<li>Lengkapi data diri: alamat, pendidikan terakhir, dan status pekerjaan. Purna PMI mengisi riwayat
bekerja di luar negeri sesuai kenyataan.</li>
</ol>
"""),
                    warning(
                        "<p>Kode OTP dan kata sandi adalah kunci akun peserta. Jangan pernah meminta, "
                        "mencatat, atau menyimpannya. Bila peserta menyodorkan ponselnya, kembalikan dan "
                        "bimbing dengan kata-kata.</p>",
                        "Jangan pernah meminta kode OTP",
                    ),
                    text("""
<h2>Bila data tidak cocok</h2>
<p>Kegagalan verifikasi NIK paling sering terjadi karena salah ketik, tanggal lahir tertukar antara
hari dan bulan, atau data kependudukan yang belum diperbarui setelah lama di luar negeri. Periksa
angka satu per satu bersama peserta. Bila data memang berbeda dengan KTP, arahkan peserta ke kantor
Dinas Kependudukan dan Pencatatan Sipil setempat untuk pemutakhiran data.</p>
"""),
                    facilitator(
                        "<p>Siapkan satu ponsel contoh yang layarnya bisa Anda tunjukkan. Peragakan setiap "
                        "langkah di ponsel contoh, lalu minta peserta mengulanginya di ponselnya sendiri. "
                        "Cara ini lebih cepat daripada mengambil alih ponsel peserta, dan peserta ingat "
                        "langkahnya.</p>",
                    ),
                    document(
                        "registration_checklist",
                        "Lembar periksa pendaftaran (untuk dicetak)",
                        "Satu halaman A4. Berikan kepada peserta sebelum mulai mendaftar.",
                    ),
                ],
            },
            {
                "slug": "tes-dan-seleksi-gelombang",
                "title": "Tes kemampuan dasar dan seleksi gelombang",
                "intro": "Tes motivasi dan kemampuan dasar, bergabung ke gelombang, dan membaca pengumuman.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Tes motivasi dan kemampuan dasar</h2>
<p>Setelah data diri lengkap, peserta mengerjakan tes singkat tentang motivasi dan kemampuan dasar,
seperti memahami bacaan sederhana dan berhitung. Tes ini tidak perlu dipersiapkan secara khusus dan
tidak ada jawaban "yang disukai panitia". Mintalah peserta menjawab dengan jujur, di tempat tenang,
dengan sinyal yang stabil.</p>
<h2>Bergabung ke gelombang</h2>
<p>Pendaftaran dibuka per <b>gelombang</b>, masing-masing dengan kuota. Setelah tes, peserta memilih
<b>Gabung Gelombang</b> di dasbor. Seleksi dilakukan oleh sistem; tidak ada pihak yang bisa
menjamin kelulusan. Hasil diumumkan lewat dasbor, e-mail, dan SMS.</p>
<p>Bila belum lolos, peserta tidak perlu mendaftar ulang: cukup masuk ke dasbor dan bergabung lagi
pada gelombang berikutnya.</p>
"""),
                    warning(
                        "<p>Ada oknum yang menawarkan \u201cjalur khusus\u201d agar lolos seleksi dengan "
                        "imbalan uang. Itu penipuan. Pendaftaran dan pendampingan di titik layanan "
                        "<b>gratis</b>. Laporkan tawaran seperti ini kepada koordinator Anda.</p>",
                        "Waspada calo",
                    ),
                    checklist(
                        "Sebelum peserta pulang",
                        [
                            "Peserta bisa masuk ke dasbor dengan e-mail dan kata sandinya sendiri",
                            "Status akun sudah terverifikasi dan tes sudah dikerjakan",
                            "Peserta sudah bergabung ke gelombang yang sedang dibuka",
                            "Peserta tahu cara melihat pengumuman di dasbor",
                            "Nomor kontak titik layanan sudah dicatat peserta",
                        ],
                    ),
                    quiz(
                        "Kuis modul 1: Pendaftaran dan seleksi",
                        [
                            question(
                                "Seorang peserta menyodorkan ponselnya dan berkata, \u201cIni ada kode "
                                "dari SMS, tolong Bapak isikan saja.\u201d Apa yang sebaiknya Anda lakukan?",
                                [
                                    ("Mengisikan kode itu agar lebih cepat", False),
                                    ("Mencatat kode itu di buku layanan untuk berjaga-jaga", False),
                                    (
                                        "Mengembalikan ponsel dan membimbing peserta mengisi kodenya sendiri",
                                        True,
                                    ),
                                    ("Meminta peserta mengirim kode itu lewat WhatsApp kepada Anda", False),
                                ],
                                "Kode OTP adalah kunci akun peserta. Pendamping tidak pernah meminta, "
                                "mengetik, atau menyimpan OTP; peserta mengisinya sendiri dengan bimbingan.",
                            ),
                            question(
                                "Data apa saja yang dicocokkan dengan data kependudukan saat pendaftaran?",
                                [
                                    ("NIK", True),
                                    ("Nomor Kartu Keluarga", True),
                                    ("Tanggal lahir", True),
                                    ("Nama majikan terakhir di luar negeri", False),
                                ],
                                "NIK, nomor KK dan tanggal lahir diperiksa terhadap data Dukcapil. Riwayat "
                                "kerja diisi sebagai data diri, tetapi tidak dicocokkan dengan data kependudukan.",
                                kind="multiple",
                            ),
                            question(
                                "Peserta belum lolos pada gelombang ini. Apa langkah berikutnya?",
                                [
                                    ("Membuat akun baru dengan e-mail lain", False),
                                    ("Masuk ke dasbor dan bergabung lagi pada gelombang berikutnya", True),
                                    ("Membayar jasa agar lolos pada gelombang berikutnya", False),
                                ],
                                "Akun yang sama tetap berlaku. Peserta cukup bergabung kembali pada "
                                "gelombang berikutnya; tidak ada jalur berbayar untuk lolos seleksi.",
                            ),
                        ],
                        intro="Tiga pertanyaan tentang pendaftaran, verifikasi dan seleksi.",
                    ),
                ],
            },
        ],
    }
)

# Module 2 ------------------------------------------------------------------------------------------

COURSE["modules"].append(
    {
        "slug": "memilih-dan-membeli-pelatihan",
        "title": "Memilih dan membeli pelatihan",
        "summary": "Menelusuri 1.561 pelatihan dari 179 lembaga, memilih yang sesuai rencana peserta, "
        "dan membelinya di platform digital.",
        "lessons": [
            {
                "slug": "mengenal-ekosistem-pelatihan",
                "title": "Mengenal ekosistem pelatihan Prakerja",
                "intro": "Jenis pelatihan, lembaga pelatihan dan platform digital, serta cara membaca "
                "informasi sebuah kelas.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Pilihan yang sangat luas</h2>
<p>Pada pertengahan 2021, ekosistem Kartu Prakerja memuat <b>1.561 pelatihan</b> dari
<b>179 lembaga pelatihan</b>. Ada pelatihan <i>hard skill</i> dan keterampilan teknis, misalnya
menjahit, tata boga, perawatan kendaraan, atau akuntansi sederhana; ada juga pelatihan <i>soft
skill</i>, misalnya komunikasi dan pelayanan pelanggan. Banyak di antaranya cocok bagi Purna PMI,
seperti pelatihan menjadi <i>customer service</i>, pengasuh bayi (<i>nanny</i>), atau merintis
usaha sendiri.</p>
<p>Pelatihan di ekosistem ini dinilai baik oleh pesertanya: rating rata-rata <b>4,8 dari 5</b>.
Survei Cyrus Network pada Mei 2021 mencatat 98,7 persen responden merasa mendapat manfaat, dan
92,6 persen merasa ilmunya bisa dipakai di tempat kerja atau usahanya.</p>
<h2>Tiga pihak yang perlu dikenali peserta</h2>
<ul>
<li><b>Lembaga pelatihan</b>: penyelenggara kelas dan pemberi sertifikat pelatihan.</li>
<li><b>Platform digital</b>: tempat membeli pelatihan, semacam toko daring resmi yang bermitra dengan
Prakerja.</li>
<li><b>Prakerja</b>: tempat peserta melihat saldo, menghubungkan pembelian, dan memberi ulasan.</li>
</ul>
"""),
                    tip(
                        "<p>Ajak peserta membaca empat hal di halaman sebuah pelatihan: <b>apa yang "
                        "dipelajari</b>, <b>berapa lama</b>, <b>bentuknya</b> (video, webinar, atau "
                        "tatap muka), dan <b>ulasan peserta lain</b>.</p>",
                        "Cara cepat membaca halaman pelatihan",
                    ),
                    checklist(
                        "Informasi yang perlu dibaca sebelum membeli",
                        [
                            "Tujuan dan daftar materi pelatihan",
                            "Durasi total dan jadwal (untuk webinar)",
                            "Bentuk pelatihan dan kebutuhan kuota",
                            "Harga, dibandingkan dengan sisa saldo",
                            "Rating dan ulasan peserta sebelumnya",
                        ],
                    ),
                ],
            },
            {
                "slug": "memilih-pelatihan-sesuai-rencana",
                "title": "Memilih pelatihan yang sesuai rencana kerja",
                "intro": "Percakapan singkat untuk menemukan pelatihan yang benar-benar berguna bagi peserta.",
                "minutes": 20,
                "body": [
                    text("""
<h2>Mulai dari rencana, bukan dari daftar</h2>
<p>Dengan ribuan pilihan, peserta mudah bingung atau memilih kelas yang sedang ramai dibicarakan.
Bantu peserta dengan tiga pertanyaan sederhana:</p>
<ol>
<li><b>Apa yang ingin Anda kerjakan enam bulan lagi?</b> Bekerja lagi di luar negeri, bekerja di
dalam negeri, atau membuka usaha?</li>
<li><b>Keterampilan apa yang sudah Anda miliki?</b> Pengalaman merawat lansia, memasak, atau
mengelola toko adalah modal yang bisa dikembangkan.</li>
<li><b>Apa yang masih kurang?</b> Misalnya pencatatan keuangan, pemasaran lewat media sosial, atau
bahasa asing.</li>
</ol>
<p>Dari jawaban itu, cari dua atau tiga pelatihan dengan kata kunci yang sesuai, lalu bandingkan
bersama peserta. Keputusan tetap di tangan peserta.</p>
"""),
                    facilitator(
                        "<p>Contoh: Ibu Sri pernah tiga tahun menjadi pengasuh anak di Hong Kong dan ingin "
                        "membuka usaha katering kecil di Banyuwangi. Pelatihan yang cocok mungkin tentang "
                        "pengelolaan usaha makanan rumahan dan pemasaran daring, bukan kelas yang sama "
                        "sekali baru baginya.</p>",
                        "Contoh kasus",
                    ),
                    warning(
                        "<p>Jangan menyarankan lembaga atau platform tertentu karena kenalan atau imbalan. "
                        "Pendamping harus netral; tunjukkan cara membandingkan, bukan jawaban jadi.</p>",
                        "Tetap netral",
                    ),
                ],
            },
            {
                "slug": "membeli-dan-menukarkan-pelatihan",
                "title": "Membeli dan menukarkan pelatihan",
                "intro": "Langkah membeli di platform digital, kode voucher, dan tenggat pembelian pertama.",
                "minutes": 20,
                "body": [
                    text("""
<h2>Langkah membeli</h2>
<ol>
<li>Di dasbor Prakerja, peserta memastikan status kartunya sudah aktif dan melihat sisa saldo.
Pada 2021 saldo pelatihan sebesar Rp1.000.000.</li>
<li>Peserta membuka platform digital pilihannya dan masuk ke bagian Prakerja.</li>
<li>Peserta memilih pelatihan, lalu membayar dengan <b>nomor Kartu Prakerja</b> dan kode OTP yang
dikirim ke nomor ponselnya.</li>
<li>Peserta menerima <b>kode voucher</b>, lalu menukarkannya di situs lembaga pelatihan untuk
mendapat akses kelas. Untuk kelas daring, peserta juga memasukkan <b>kode redeem</b> di awal
pelatihan.</li>
</ol>
<h2>Tenggat pembelian pertama</h2>
<p>Pelatihan pertama harus dibeli dalam batas waktu sejak peserta dinyatakan lolos (30 hari pada
2021). Bila terlewat, kepesertaan dapat dicabut. Catat tanggalnya bersama peserta dan jadwalkan
kunjungan ulang bila perlu.</p>
"""),
                    tip(
                        "<p>Aturan nilai saldo, tenggat dan insentif bisa berubah antar gelombang. Selalu "
                        "periksa halaman resmi prakerja.go.id sebelum menjelaskannya kepada peserta.</p>",
                        "Periksa aturan terbaru",
                    ),
                    quiz(
                        "Kuis modul 2: Memilih dan membeli pelatihan",
                        [
                            question(
                                "Berapa jumlah pelatihan dan lembaga pelatihan di ekosistem Kartu Prakerja "
                                "pada pertengahan 2021?",
                                [
                                    ("1.561 pelatihan dari 179 lembaga", True),
                                    ("179 pelatihan dari 1.561 lembaga", False),
                                    ("92 pelatihan dari 92 lembaga", False),
                                ],
                                "Pada Juni 2021 Manajemen Pelaksana menyebut 1.561 pelatihan dari 179 "
                                "lembaga pelatihan.",
                            ),
                            question(
                                "Apa yang paling tepat dilakukan pendamping untuk membantu peserta memilih "
                                "pelatihan?",
                                [
                                    ("Memilihkan pelatihan yang paling laris", False),
                                    (
                                        "Bertanya tentang rencana kerja peserta lalu membandingkan beberapa "
                                        "pilihan bersamanya",
                                        True,
                                    ),
                                    ("Menyarankan lembaga milik kenalan karena sudah terpercaya", False),
                                ],
                                "Pilihan yang baik berangkat dari rencana dan pengalaman peserta. "
                                "Pendamping netral dan keputusan tetap di tangan peserta.",
                            ),
                            question(
                                "Manakah yang dibutuhkan peserta saat membayar pelatihan di platform digital?",
                                [
                                    ("Nomor Kartu Prakerja", True),
                                    ("Kode OTP yang dikirim ke ponsel peserta", True),
                                    ("Kata sandi e-mail peserta", False),
                                    ("Foto KTP pendamping", False),
                                ],
                                "Pembayaran memakai nomor Kartu Prakerja dan OTP yang masuk ke ponsel "
                                "peserta sendiri. Kata sandi e-mail tidak pernah diminta.",
                                kind="multiple",
                            ),
                        ],
                    ),
                ],
            },
        ],
    }
)

# Module 3 ------------------------------------------------------------------------------------------

COURSE["modules"].append(
    {
        "slug": "menyelesaikan-pelatihan-dan-ulasan",
        "title": "Menyelesaikan pelatihan dan memberi ulasan",
        "summary": "Menjaga peserta tetap mengikuti kelas sampai selesai, mendapatkan sertifikat, dan "
        "memberi rating serta ulasan.",
        "lessons": [
            {
                "slug": "mengikuti-pelatihan-sampai-selesai",
                "title": "Mengikuti pelatihan sampai selesai",
                "intro": "Kendala yang membuat peserta berhenti di tengah jalan, dan cara mengatasinya.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Mengapa peserta berhenti di tengah jalan</h2>
<p>Kendala yang paling sering dilaporkan dari titik layanan adalah kuota habis, jadwal webinar yang
bentrok dengan pekerjaan, lupa kode redeem, dan tidak tahu bahwa ada tugas atau ujian akhir yang
harus dikerjakan. Sebagian besar bisa dicegah bila dibicarakan sejak awal.</p>
<ul>
<li><b>Kuota</b>: sarankan menonton video saat terhubung ke wifi titik layanan, atau mengunduh materi
bila lembaga mengizinkan.</li>
<li><b>Jadwal</b>: untuk webinar, catat tanggal dan jamnya di kalender ponsel peserta.</li>
<li><b>Kode redeem</b>: minta peserta menyimpan tangkapan layar kode voucher dan kode redeem.</li>
<li><b>Ujian akhir</b>: tunjukkan di mana letaknya sebelum peserta mulai belajar.</li>
</ul>
"""),
                    tip(
                        "<p>Buat grup pesan singkat per angkatan pendampingan untuk saling mengingatkan "
                        "jadwal. Jangan membagikan data pribadi peserta di grup.</p>",
                        "Saling mengingatkan",
                    ),
                    checklist(
                        "Tanda pelatihan sudah selesai",
                        [
                            "Semua bagian materi berstatus selesai di situs lembaga",
                            "Tugas atau ujian akhir sudah dikerjakan",
                            "Sertifikat pelatihan sudah terbit dan bisa diunduh",
                            "Status pelatihan di dasbor Prakerja sudah berubah menjadi selesai",
                        ],
                    ),
                ],
            },
            {
                "slug": "sertifikat-dan-ulasan",
                "title": "Sertifikat, rating dan ulasan",
                "intro": "Mengapa ulasan wajib, cara memberi rating, dan menulis ulasan yang berguna.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Ulasan adalah syarat insentif</h2>
<p>Setelah pelatihan selesai dan sertifikat terbit, peserta wajib memberi <b>rating</b> (bintang 1
sampai 5) dan <b>ulasan</b> di dasbor Prakerja. Tanpa ulasan, proses insentif tidak berjalan.</p>
<p>Ulasan juga berguna bagi peserta lain. Rating rata-rata pelatihan Prakerja yang tinggi, 4,8 dari
5, berasal dari ulasan seperti ini. Ajak peserta menilai dengan jujur, termasuk bila ada yang kurang
baik.</p>
<h2>Ulasan yang berguna</h2>
<p>Ulasan yang baik menyebut apa yang dipelajari, apakah materinya jelas, dan apakah bisa langsung
dipraktikkan. Contoh: <i>\u201cMateri pencatatan keuangan jelas dan contohnya dekat dengan usaha
warung. Video agak berat untuk kuota saya.\u201d</i></p>
"""),
                    facilitator(
                        "<p>Peserta yang kurang lancar menulis bisa diminta bercerita lisan dulu, lalu "
                        "menuliskan dua atau tiga kalimat dari ceritanya sendiri. Jangan menuliskan ulasan "
                        "untuk peserta.</p>",
                    ),
                ],
            },
            {
                "slug": "mendampingi-saat-ada-kendala",
                "title": "Mendampingi saat ada kendala",
                "intro": "Sertifikat belum terbit, status belum berubah, atau pelatihan salah beli: apa yang "
                "bisa dilakukan.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Masalah yang sering muncul</h2>
<ul>
<li><b>Sertifikat belum terbit</b>: periksa apakah semua materi dan ujian akhir sudah selesai.
Lembaga biasanya memproses sertifikat dalam beberapa hari kerja.</li>
<li><b>Status di dasbor belum berubah</b>: status diperbarui setelah lembaga mengirim laporan
penyelesaian. Tunggu, lalu periksa lagi.</li>
<li><b>Lupa kata sandi</b>: gunakan fitur lupa kata sandi; tautan dikirim ke e-mail peserta.</li>
</ul>
<p>Untuk masalah yang tidak selesai, arahkan peserta ke layanan pengaduan resmi Prakerja melalui
situs prakerja.go.id, dan catat kasusnya di buku layanan titik Anda.</p>
"""),
                    warning(
                        "<p>Jangan menjanjikan hasil kepada peserta (\u201cbesok pasti cair\u201d). "
                        "Jelaskan apa yang sedang diproses dan kapan sebaiknya memeriksa lagi.</p>",
                        "Jangan berjanji",
                    ),
                    quiz(
                        "Kuis modul 3: Menyelesaikan pelatihan",
                        [
                            question(
                                "Apa syarat yang harus dipenuhi peserta setelah pelatihan pertamanya selesai "
                                "agar proses insentif berjalan?",
                                [
                                    ("Memberi rating dan ulasan di dasbor Prakerja", True),
                                    ("Membeli pelatihan kedua", False),
                                    ("Mengirim foto sertifikat kepada pendamping", False),
                                ],
                                "Rating dan ulasan di dasbor Prakerja adalah syarat insentif.",
                            ),
                            question(
                                "Cara mana yang membantu peserta dengan kuota terbatas?",
                                [
                                    ("Menonton video saat tersambung ke wifi titik layanan", True),
                                    ("Mengunduh materi bila lembaga mengizinkan", True),
                                    ("Melewati video dan langsung mengerjakan ujian", False),
                                ],
                                "Wifi titik layanan dan materi yang diunduh menghemat kuota. Melewati materi "
                                "membuat peserta tidak belajar dan bisa gagal ujian.",
                                kind="multiple",
                            ),
                            question(
                                "Peserta sulit menulis ulasan. Apa yang sebaiknya dilakukan pendamping?",
                                [
                                    ("Menuliskan ulasan atas nama peserta", False),
                                    (
                                        "Meminta peserta bercerita dulu, lalu menuliskan kalimatnya sendiri",
                                        True,
                                    ),
                                    ("Menyarankan memberi bintang 5 saja tanpa ulasan", False),
                                ],
                                "Ulasan adalah pendapat peserta. Bercerita lisan dulu membantu peserta "
                                "menemukan kata-katanya sendiri.",
                            ),
                        ],
                        # A pool: each attempt draws 2 of the 3 questions, choices shuffled.
                        draw_count=2,
                    ),
                ],
            },
        ],
    }
)

# Module 4 ------------------------------------------------------------------------------------------

COURSE["modules"].append(
    {
        "slug": "menerima-insentif",
        "title": "Menerima insentif",
        "summary": "Menghubungkan e-wallet atau rekening, memahami jadwal insentif dan survei, dan "
        "menjawab pertanyaan yang paling sering diajukan.",
        "lessons": [
            {
                "slug": "menghubungkan-rekening",
                "title": "Menghubungkan e-wallet atau rekening bank",
                "intro": "Memilih tujuan pembayaran insentif yang atas nama peserta sendiri.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Rekening atas nama sendiri</h2>
<p>Insentif dikirim ke e-wallet atau rekening bank yang dihubungkan di dasbor Prakerja. Akun itu
harus <b>atas nama peserta sendiri</b> dan sudah terverifikasi. Nama yang tidak sama dengan data
kependudukan adalah penyebab kegagalan pembayaran yang paling sering.</p>
<h2>Langkah menghubungkan</h2>
<ol>
<li>Pastikan akun e-wallet peserta sudah diverifikasi penuh (bukan akun dasar), atau rekening bank
sudah aktif.</li>
<li>Di dasbor Prakerja, buka bagian <b>Akun e-wallet/rekening</b>, pilih penyedianya, dan masukkan
nomornya.</li>
<li>Konfirmasi dengan kode OTP yang dikirim ke ponsel peserta.</li>
</ol>
"""),
                    warning(
                        "<p>Jangan menghubungkan e-wallet milik anak, pasangan, atau pendamping. Insentif "
                        "tidak akan cair dan dapat menimbulkan masalah hukum.</p>",
                        "Bukan atas nama orang lain",
                    ),
                    checklist(
                        "Sebelum menghubungkan",
                        [
                            "Nama di e-wallet atau rekening sama persis dengan nama di KTP",
                            "Akun e-wallet sudah terverifikasi penuh",
                            "Nomor ponsel e-wallet aktif dan dipegang peserta",
                        ],
                    ),
                ],
            },
            {
                "slug": "jadwal-insentif-dan-survei",
                "title": "Jadwal insentif dan survei",
                "intro": "Kapan insentif dikirim, berapa kali, dan mengapa survei perlu diisi.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Insentif pascapelatihan</h2>
<p>Insentif mulai diproses setelah peserta menyelesaikan pelatihan pertama dan memberi ulasan. Pada
2021 insentif pascapelatihan sebesar <b>Rp600.000 per bulan selama empat bulan</b>, ditambah insentif
pengisian survei <b>Rp50.000 untuk setiap survei</b>, sebanyak tiga survei.</p>
<p>Survei menanyakan keadaan kerja dan usaha peserta. Hasilnya dipakai untuk menilai manfaat program:
misalnya Sakernas BPS yang dirilis Mei 2021 mencatat 90,97 persen penerima merasa keterampilan
kerjanya meningkat.</p>
<h2>Memeriksa status insentif</h2>
<p>Status setiap pembayaran terlihat di dasbor Prakerja, pada bagian insentif. Ajari peserta membaca
tiga keadaan yang paling sering muncul: sedang diproses, sudah dikirim, dan gagal dikirim. Bila
gagal, biasanya ada keterangan penyebabnya, misalnya akun e-wallet belum terverifikasi penuh atau
nama tidak sesuai. Setelah penyebabnya diperbaiki, pembayaran akan dicoba lagi sesuai jadwal.</p>
"""),
                    tip(
                        "<p>Bantu peserta membuat pengingat di ponsel untuk memeriksa dasbor sekali "
                        "sebulan: status insentif dan survei yang perlu diisi.</p>",
                    ),
                    facilitator(
                        "<p>Sebut angka sesuai aturan gelombang peserta dan tunjukkan sumbernya di "
                        "prakerja.go.id. Angka yang salah menurunkan kepercayaan kepada titik layanan.</p>",
                    ),
                ],
            },
            {
                "slug": "menjawab-pertanyaan-insentif",
                "title": "Menjawab pertanyaan tentang insentif",
                "intro": "Pertanyaan yang paling sering diajukan di konter, dan jawaban yang jujur.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Pertanyaan yang sering muncul</h2>
<p><b>\u201cKenapa insentif saya belum masuk?\u201d</b> Periksa berurutan: apakah pelatihan pertama
sudah selesai, apakah ulasan sudah diberikan, apakah e-wallet atau rekening sudah terhubung dan atas
nama yang benar.</p>
<p><b>\u201cBolehkah insentif diambil tunai?\u201d</b> Insentif masuk ke e-wallet atau rekening
peserta; cara menariknya mengikuti aturan penyedia e-wallet atau bank.</p>
<p><b>\u201cAda yang menawarkan mencairkan insentif lebih cepat dengan biaya.\u201d</b> Itu penipuan.
Tidak ada biaya apa pun dalam Program Kartu Prakerja.</p>
<p><b>“Saya sudah bekerja lagi, apakah insentif dihentikan?”</b> Jelaskan aturan yang berlaku
untuk gelombang peserta sesuai informasi resmi, dan sarankan peserta mengisi survei dengan jujur.
Data survei membantu program menilai manfaatnya, bukan untuk menghukum peserta.</p>
"""),
                    quiz(
                        "Kuis modul 4: Menerima insentif",
                        [
                            question(
                                "E-wallet mana yang boleh dihubungkan untuk menerima insentif?",
                                [
                                    ("E-wallet anak peserta yang sudah terverifikasi", False),
                                    ("E-wallet atas nama peserta sendiri yang sudah terverifikasi", True),
                                    ("E-wallet pendamping, nanti diteruskan", False),
                                ],
                                "Insentif hanya dikirim ke akun atas nama peserta sendiri. Nama yang tidak "
                                "cocok membuat pembayaran gagal.",
                            ),
                            question(
                                "Insentif belum masuk. Apa saja yang perlu diperiksa?",
                                [
                                    ("Pelatihan pertama sudah selesai", True),
                                    ("Rating dan ulasan sudah diberikan", True),
                                    ("E-wallet atau rekening sudah terhubung atas nama yang benar", True),
                                    ("Peserta sudah membeli pelatihan kedua", False),
                                ],
                                "Tiga syarat itu harus terpenuhi. Pelatihan kedua tidak menjadi syarat insentif.",
                                kind="multiple",
                            ),
                            question(
                                "Seseorang menawarkan pencairan insentif lebih cepat dengan biaya Rp100.000. "
                                "Bagaimana Anda menanggapinya?",
                                [
                                    ("Menyarankan peserta membayar agar cepat", False),
                                    ("Menjelaskan bahwa itu penipuan dan melaporkannya", True),
                                    ("Menawar biayanya menjadi lebih murah", False),
                                ],
                                "Tidak ada biaya apa pun dalam Program Kartu Prakerja. Tawaran seperti itu "
                                "adalah penipuan dan perlu dilaporkan.",
                            ),
                        ],
                    ),
                ],
            },
        ],
    }
)

# Module 5 ------------------------------------------------------------------------------------------

COURSE["modules"].append(
    {
        "slug": "keterampilan-fasilitasi-dan-literasi-digital",
        "title": "Keterampilan fasilitasi dan literasi digital",
        "summary": "Mendampingi orang dewasa yang belum pernah mengisi formulir daring: sabar, jelas, "
        "dan tanpa mengambil alih ponselnya.",
        "lessons": [
            {
                "slug": "prinsip-mendampingi-orang-dewasa",
                "title": "Prinsip mendampingi orang dewasa",
                "intro": "Orang dewasa belajar dari pengalaman. Hargai pengalaman Purna PMI dan bangun "
                "rasa percaya dirinya.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Purna PMI membawa pengalaman berharga</h2>
<p>Purna PMI telah bekerja bertahun-tahun di negeri orang: merawat lansia, mengasuh anak, bekerja di
pabrik, kapal, atau perkebunan. Mereka terbiasa belajar hal baru di lingkungan asing. Yang sering
kurang adalah rasa percaya diri menghadapi layar ponsel dan formulir resmi.</p>
<h2>Empat prinsip</h2>
<ul>
<li><b>Hargai</b>: sapa dengan hormat, tanyakan pengalaman kerjanya, dan tunjukkan bahwa pengalaman
itu bernilai.</li>
<li><b>Sederhanakan</b>: gunakan kata sehari-hari. \u201cKode rahasia dari SMS\u201d lebih mudah
dipahami daripada \u201cOTP\u201d.</li>
<li><b>Satu langkah sekali</b>: jelaskan satu langkah, tunggu sampai selesai, lalu lanjutkan.</li>
<li><b>Beri kendali</b>: ponsel tetap di tangan peserta; Anda menunjuk dan menjelaskan.</li>
</ul>
"""),
                    image(
                        "counter",
                        "Diagram lima langkah layanan di konter: sambut, cek dokumen, dampingi, catat, tindak lanjut.",
                        "Alur layanan yang sama untuk setiap peserta membuat antrean lebih tertib.",
                    ),
                    facilitator(
                        "<p>Bila peserta tampak cemas, berhenti sejenak. Katakan bahwa banyak orang mengalami "
                        "kesulitan yang sama, dan bahwa kesalahan di formulir hampir selalu bisa "
                        "diperbaiki.</p>",
                    ),
                ],
            },
            {
                "slug": "melatih-formulir-daring-pertama",
                "title": "Melatih peserta mengisi formulir daring pertamanya",
                "intro": "Metode Tunjukkan\u2013Coba\u2013Ulangi untuk e-mail, kata sandi, OTP dan foto dokumen.",
                "minutes": 20,
                "body": [
                    text("""
<h2>Metode Tunjukkan\u2013Coba\u2013Ulangi</h2>
<ol>
<li><b>Tunjukkan</b>: peragakan langkahnya di ponsel contoh sambil menjelaskan dengan kalimat
pendek.</li>
<li><b>Coba</b>: peserta melakukan langkah yang sama di ponselnya, Anda mengamati dan membantu dengan
kata-kata.</li>
<li><b>Ulangi</b>: minta peserta mengulang sekali lagi tanpa bantuan, misalnya keluar lalu masuk
kembali ke akunnya.</li>
</ol>
<h2>Keterampilan dasar yang sering perlu dilatih</h2>
<ul>
<li>Membuat alamat e-mail dan membuka kotak masuk.</li>
<li>Membuat kata sandi yang kuat tetapi mudah diingat, misalnya gabungan tiga kata dan angka.</li>
<li>Menyalin kode dari SMS ke kolom isian.</li>
<li>Memotret KTP dengan terang dan tidak terpotong.</li>
<li>Mengenali tautan resmi: alamat situs harus berakhiran <b>prakerja.go.id</b>.</li>
</ul>
"""),
                    tip(
                        "<p>Untuk menghemat kuota peserta, lakukan latihan saat ponsel tersambung ke wifi "
                        "titik layanan, dan matikan unduhan otomatis video di aplikasi pesan.</p>",
                        "Hemat kuota",
                    ),
                    document(
                        "glossary",
                        "Kamus kecil istilah Prakerja",
                        "Bahan cetak satu halaman untuk peserta yang baru mengenal istilah digital.",
                    ),
                ],
            },
            {
                "slug": "menjaga-data-dan-mengelola-layanan",
                "title": "Menjaga data pribadi dan mengelola layanan",
                "intro": "Kerahasiaan data, antrean yang tertib, dan pencatatan kasus di titik layanan.",
                "minutes": 15,
                "body": [
                    text("""
<h2>Data pribadi peserta</h2>
<p>NIK, nomor KK, foto KTP, nomor ponsel dan e-mail adalah data pribadi. Pendamping tidak menyimpan
salinan, tidak memotret layar peserta, dan tidak membagikan data di grup pesan. Bila memakai
komputer titik layanan, pastikan peserta keluar dari akunnya dan riwayat peramban dihapus setelah
selesai.</p>
<h2>Mengelola layanan</h2>
<p>Satu sesi pendampingan pendaftaran biasanya memerlukan 30\u201345 menit per orang. Atur antrean
dengan nomor urut, dahulukan peserta yang dokumennya lengkap, dan jadwalkan ulang peserta yang belum
membawa dokumen. Catat setiap layanan di buku layanan: tanggal, tahap, kendala, dan tindak lanjut,
tanpa menulis NIK.</p>
"""),
                    checklist(
                        "Setelah setiap sesi",
                        [
                            "Peserta sudah keluar dari semua akun di perangkat titik layanan",
                            "Riwayat peramban di perangkat titik layanan sudah dihapus",
                            "Tidak ada foto dokumen peserta di ponsel atau komputer pendamping",
                            "Buku layanan terisi tanpa NIK",
                        ],
                    ),
                    quiz(
                        "Kuis modul 5: Fasilitasi dan literasi digital",
                        [
                            question(
                                "Apa urutan metode yang dianjurkan untuk melatih keterampilan baru?",
                                [
                                    ("Tunjukkan, coba, ulangi", True),
                                    ("Ambil alih ponsel, kerjakan, kembalikan", False),
                                    ("Jelaskan semua langkah sekaligus, lalu biarkan peserta sendiri", False),
                                ],
                                "Peserta melihat contoh, mencoba sendiri dengan bimbingan, lalu mengulang "
                                "tanpa bantuan. Ponsel tetap di tangan peserta.",
                            ),
                            question(
                                "Manakah yang termasuk menjaga data pribadi peserta?",
                                [
                                    ("Tidak menyimpan foto KTP peserta di ponsel pendamping", True),
                                    (
                                        "Memastikan peserta keluar dari akunnya di komputer titik layanan",
                                        True,
                                    ),
                                    ("Menulis NIK peserta di buku layanan agar mudah dicari", False),
                                    ("Membagikan daftar nomor ponsel peserta di grup umum", False),
                                ],
                                "Pendamping tidak menyimpan atau membagikan data pribadi; buku layanan "
                                "diisi tanpa NIK.",
                                kind="multiple",
                            ),
                            question(
                                "Kalimat mana yang paling mudah dipahami peserta yang baru mengenal ponsel "
                                "pintar?",
                                [
                                    ("\u201cSilakan input OTP untuk autentikasi.\u201d", False),
                                    ("\u201cMasukkan kode rahasia yang baru masuk lewat SMS.\u201d", True),
                                    ("\u201cLakukan verifikasi two-factor sekarang.\u201d", False),
                                ],
                                "Kata sehari-hari lebih mudah dipahami daripada istilah teknis.",
                            ),
                        ],
                    ),
                ],
            },
        ],
    }
)

# Pre-test and post-test ----------------------------------------------------------------------------
# The same four questions before and after the course, so that the learning gain compares like with
# like. The pre-test opens module 1 and never counts towards completion; the post-test closes the
# course and counts like every quiz.

ASSESSMENT_QUESTIONS = [
    question(
        "Seorang Purna PMI ingin mendaftar Kartu Prakerja. Data apa yang dicocokkan dengan data "
        "kependudukan?",
        [
            ("NIK, nomor Kartu Keluarga dan tanggal lahir", True),
            ("Nomor paspor dan negara penempatan terakhir", False),
            ("Nama majikan terakhir di luar negeri", False),
            ("Nomor rekening tempat gaji dahulu diterima", False),
        ],
        "NIK, nomor KK dan tanggal lahir diperiksa terhadap data Dukcapil; riwayat kerja di luar "
        "negeri diisi sebagai data diri, tetapi tidak dicocokkan.",
    ),
    question(
        "Peserta meminta Anda mengetikkan kode OTP yang baru masuk ke ponselnya. Apa yang Anda lakukan?",
        [
            ("Mengetikkan kodenya agar cepat selesai", False),
            ("Membimbing peserta mengetik kodenya sendiri tanpa Anda melihat", True),
            ("Mencatat kodenya di buku layanan untuk berjaga-jaga", False),
        ],
        "OTP adalah kunci akun peserta. Pendamping tidak pernah meminta, mengetik atau menyimpannya.",
    ),
    question(
        "Bagaimana peserta memilih pelatihan yang tepat di ekosistem Prakerja?",
        [
            ("Memilih yang paling mahal agar saldo habis", False),
            ("Memilih yang sesuai rencana kerjanya setelah pulang, lalu membandingkan ulasan", True),
            ("Memilih pelatihan yang disarankan oleh orang yang menawarkan jasa berbayar", False),
        ],
        "Pelatihan dipilih dari rencana kerja peserta (bekerja, berwirausaha, atau pindah bidang) dan "
        "dibandingkan lewat silabus serta ulasan peserta lain.",
    ),
    question(
        "Insentif peserta belum masuk. Apa langkah pertama yang Anda sarankan?",
        [
            ("Memeriksa apakah e-wallet atau rekening sudah terhubung dan rating sudah diberikan", True),
            ("Membuat akun baru dengan e-mail lain", False),
            ("Membayar pihak lain yang menjanjikan pencairan cepat", False),
        ],
        "Insentif hanya dikirim ke e-wallet atau rekening yang terhubung, setelah pelatihan pertama "
        "selesai dan ulasan diberikan. Tidak ada jalur berbayar untuk mempercepatnya.",
    ),
]

COURSE["modules"][0]["lessons"].insert(
    0,
    {
        "slug": "tes-awal",
        "title": "Tes awal",
        "intro": "Empat pertanyaan singkat sebelum mulai belajar. Nilainya tidak memengaruhi kelulusan.",
        "minutes": 5,
        "assessment_role": "pre_test",
        "body": [
            text("""
<p>Jawablah sesuai pengetahuan Anda sekarang, tanpa membuka materi. Hasil tes awal dibandingkan
dengan tes akhir untuk melihat seberapa banyak yang Anda pelajari. Tidak ada nilai lulus atau
gagal di sini.</p>
"""),
            quiz("Tes awal", ASSESSMENT_QUESTIONS, intro="Empat pertanyaan tentang seluruh kursus."),
        ],
    },
)

COURSE["modules"][-1]["lessons"].append(
    {
        "slug": "tes-akhir",
        "title": "Tes akhir",
        "intro": "Empat pertanyaan yang sama dengan tes awal, untuk melihat kemajuan Anda.",
        "minutes": 5,
        "assessment_role": "post_test",
        "body": [
            text("""
<p>Pertanyaan tes akhir sama dengan tes awal. Selisih nilai keduanya adalah peningkatan belajar
Anda, yang tampil di dasbor Anda.</p>
"""),
            quiz("Tes akhir", ASSESSMENT_QUESTIONS, intro="Empat pertanyaan tentang seluruh kursus."),
        ],
    },
)
