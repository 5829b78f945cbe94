//! Synthetic year-end review texts for load tests and benchmarks: many
//! provinces, districts, communes and years, written with the wording
//! variety of the real seeds (news articles and official reports, "uỷ" and
//! "ủy", decimal commas and points, NFD text, page chrome, non-breaking
//! spaces), plus a few texts that are not year-end reports at all.
//!
//! The generator produces TEXTS only; what they mean is left to the real
//! parser. It is deterministic: the same seed and index always give the same
//! text, with a small built-in SplitMix64 so that figures stay reproducible
//! across dependency upgrades.

use unicode_normalization::UnicodeNormalization;

/// Real province names; districts and communes below them are made up
/// from place-name syllables.
const PROVINCES: [&str; 24] = [
    "Quảng Ngãi",
    "Hà Tĩnh",
    "Nghệ An",
    "Thanh Hóa",
    "Quảng Nam",
    "Bình Định",
    "Phú Yên",
    "Khánh Hòa",
    "Gia Lai",
    "Đắk Lắk",
    "Lâm Đồng",
    "Quảng Trị",
    "Thừa Thiên Huế",
    "Quảng Bình",
    "Ninh Bình",
    "Nam Định",
    "Thái Bình",
    "Hải Dương",
    "Bắc Giang",
    "Phú Thọ",
    "Tuyên Quang",
    "Yên Bái",
    "Sơn La",
    "Hòa Bình",
];

const SYLLABLES: [&str; 48] = [
    "Sơn", "Liên", "Trà", "Thạch", "Hà", "Phú", "Hòa", "An", "Bình", "Tân", "Đông", "Tây", "Nam",
    "Bắc", "Long", "Thủy", "Kỳ", "Quang", "Minh", "Hưng", "Xuân", "Thanh", "Cẩm", "Đức", "Vĩnh",
    "Hải", "Trung", "Nghĩa", "Lộc", "Phước", "Tịnh", "Hiệp", "Thọ", "Mỹ", "Lâm", "Hương", "Kim",
    "Ngọc", "Bảo", "Thuận", "Khánh", "Lợi", "Thắng", "Yên", "Hồng", "Châu", "Giang", "Đạt",
];

/// Districts per province and communes per district: 24 × 14 × 30 = 10,080
/// communes, about as many as the country has.
const DISTRICTS_PER_PROVINCE: usize = 14;
const COMMUNES_PER_DISTRICT: usize = 30;
/// The first year under review; report `i` reviews `FIRST_YEAR + i / communes`.
pub const FIRST_YEAR: i32 = 2015;

/// One synthetic text and the place and year it was written about (for
/// choosing query parameters; the stored record comes from the parser).
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    pub text: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub year: i32,
    /// False for the few texts that are about something else entirely.
    pub is_report: bool,
}

/// Makes synthetic texts; `generate(i)` depends only on the seed and `i`.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
}

/// SplitMix64: tiny, fast and good enough to vary wording.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A number in [low, high) with the given decimals.
    fn amount(&mut self, low: f64, high: f64, decimals: u32) -> f64 {
        let unit = 10f64.powi(decimals as i32);
        let span = ((high - low) * unit).max(1.0) as u64;
        low + (self.next() % span) as f64 / unit
    }
}

/// A place name of two syllables, fixed by its position in the hierarchy.
fn place_name(path: u64) -> String {
    let mut rng = Rng(path.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let first = rng.pick(&SYLLABLES);
    let mut second = rng.pick(&SYLLABLES);
    while second == first {
        second = rng.pick(&SYLLABLES);
    }
    format!("{first} {second}")
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator { seed }
    }

    /// How many distinct communes the generator writes about.
    pub fn communes() -> usize {
        PROVINCES.len() * DISTRICTS_PER_PROVINCE * COMMUNES_PER_DISTRICT
    }

    /// The commune, district and province of commune number `n`.
    pub fn place(n: usize) -> (String, String, String) {
        let n = n % Generator::communes();
        let province = n / (DISTRICTS_PER_PROVINCE * COMMUNES_PER_DISTRICT);
        let district = n / COMMUNES_PER_DISTRICT;
        (
            // Communes are named within their district, as in life.
            place_name(1_000_000 + n as u64),
            place_name(2_000_000 + district as u64),
            PROVINCES[province].to_string(),
        )
    }

    /// Text number `i`: commune `i % communes`, reviewing year `FIRST_YEAR + i / communes`.
    pub fn generate(&self, i: usize) -> Synthetic {
        let mut rng = Rng(self.seed ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        let (commune, district, province) = Generator::place(i);
        let year = FIRST_YEAR + (i / Generator::communes()) as i32;
        let is_report = !rng.chance(3);
        let mut text = if is_report {
            if rng.chance(30) {
                official_report(&mut rng, &commune, &district, &province, year)
            } else {
                news_article(&mut rng, &commune, &district, &province, year)
            }
        } else {
            other_text(&mut rng, &commune, &district, year)
        };
        if rng.chance(30) {
            text.push_str(rng.pick(&CHROME));
        }
        // Every form the real texts arrive in.
        if rng.chance(10) {
            text = text.nfd().collect();
        }
        if rng.chance(20) {
            text = text
                .replace("ủy", "uỷ")
                .replace("Ủy", "Uỷ")
                .replace("hòa", "hoà");
        }
        if rng.chance(10) {
            text = text.replacen(' ', "\u{a0}", 3);
        }
        Synthetic {
            text,
            commune,
            district,
            province,
            year,
            is_report,
        }
    }
}

const CHROME: [&str; 4] = [
    "\nLượt xem: 225\nTin liên quan\n",
    "\nThống kê truy cập: 3.184.308\n35 người đang online\n",
    "\nIn bài viết | Gửi email | Chia sẻ\n",
    "\nÝ kiến bạn đọc\nGửi bình luận\n",
];

const DISTRICT_WORDS: [(&str, &str); 3] = [
    ("huyện", "Huyện"),
    ("thị xã", "Thị xã"),
    ("thành phố", "Thành phố"),
];

fn number(rng: &mut Rng, value: f64, decimals: usize) -> String {
    let plain = format!("{value:.decimals$}");
    // Half the texts write a decimal comma, as most real ones do.
    if rng.chance(50) {
        plain.replace('.', ",")
    } else {
        plain
    }
}

fn percent(rng: &mut Rng, value: f64) -> String {
    let written = number(rng, value, 2);
    let written = written
        .trim_end_matches('0')
        .trim_end_matches([',', '.'])
        .to_string();
    if rng.chance(30) {
        format!("{written} %")
    } else {
        format!("{written}%")
    }
}

fn rating_words(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "hoàn thành xuất sắc nhiệm vụ",
        "hoàn thành tốt nhiệm vụ",
        "hoàn thành tốt nhiệm vụ",
        "hoàn thành nhiệm vụ",
    ])
}

/// The sentences stating the year's results, in varied wording.
fn results(rng: &mut Rng, year: i32) -> Vec<String> {
    let mut sentences = Vec::new();
    let plan_words = [
        "KH giao",
        "kế hoạch giao",
        "so với kế hoạch",
        "kế hoạch huyện giao",
        "chỉ tiêu Nghị quyết",
    ];
    let grain = rng.amount(250.0, 3000.0, 1);
    let grain_pop = rng.amount(88.0, 115.0, 2);
    sentences.push(format!(
        "{} đạt {} tấn, đạt {} {}",
        rng.pick(&[
            "Cây lương thực có hạt",
            "Tổng sản lượng lương thực",
            "Sản lượng lương thực có hạt"
        ]),
        number(rng, grain, 1),
        percent(rng, grain_pop),
        rng.pick(&plan_words)
    ));
    for herd in ["Đàn trâu", "Đàn bò", "Đàn heo", "Đàn dê"] {
        if rng.chance(70) {
            let head = rng.amount(40.0, 2500.0, 0);
            let pop = rng.amount(90.0, 110.0, 2);
            sentences.push(format!(
                "{herd}: {} con, đạt {} {}",
                head,
                percent(rng, pop),
                rng.pick(&plan_words)
            ));
        }
    }
    if rng.chance(80) {
        let households = rng.amount(800.0, 4000.0, 0);
        let poor = (households * rng.amount(0.01, 0.35, 3)).round();
        sentences.push(format!(
            "Năm {year} tổng số hộ nghèo là {}/{} hộ, tỷ lệ {}",
            poor,
            households,
            percent(rng, poor / households * 100.0)
        ));
    }
    if rng.chance(70) {
        let income = rng.amount(28.0, 75.0, 1);
        sentences.push(format!(
            "Thu nhập bình quân đầu người đạt {} triệu đồng/người/năm",
            number(rng, income, 1)
        ));
    }
    if rng.chance(70) {
        let budget = rng.amount(900.0, 12000.0, 0);
        let pop = rng.amount(85.0, 140.0, 1);
        sentences.push(format!(
            "Thu ngân sách trên địa bàn đạt {} triệu đồng, đạt {} dự toán",
            budget,
            percent(rng, pop)
        ));
    }
    if rng.chance(60) {
        let insured = rng.amount(85.0, 99.5, 1);
        sentences.push(format!(
            "Tỷ lệ bao phủ bảo hiểm y tế đạt {}",
            percent(rng, insured)
        ));
    }
    if rng.chance(50) {
        let area = rng.amount(150.0, 900.0, 2);
        sentences.push(format!(
            "Tổng diện tích gieo trồng đạt {} ha",
            number(rng, area, 2)
        ));
    }
    if rng.chance(15) {
        let pop = rng.amount(80.0, 99.0, 2);
        sentences.push(format!(
            "Điểm quốc gia về y tế chưa đạt (tỷ lệ {} kế hoạch được giao)",
            percent(rng, pop)
        ));
    }
    // Real texts list results in any order.
    for i in (1..sentences.len()).rev() {
        let j = rng.below(i + 1);
        sentences.swap(i, j);
    }
    sentences
}

fn party_results(rng: &mut Rng, commune_word: &str) -> Vec<String> {
    let cells = 4 + rng.below(18);
    let excellent = rng.below(cells / 3 + 1);
    let good = cells - excellent - rng.below(2).min(cells - excellent);
    let members = 60 + rng.below(400);
    let members_excellent = members * (5 + rng.below(10)) / 100;
    let members_good = members * (60 + rng.below(20)) / 100;
    let mut sentences = vec![
        format!(
            "Trong năm có {}/{} chi bộ trực thuộc hoàn thành tốt nhiệm vụ trở lên, trong đó có {} chi bộ hoàn thành xuất sắc nhiệm vụ",
            excellent + good,
            cells,
            excellent
        ),
        format!(
            "Có {} đảng viên hoàn thành xuất sắc nhiệm vụ, {} đảng viên hoàn thành tốt nhiệm vụ",
            members_excellent, members_good
        ),
    ];
    if rng.chance(60) {
        sentences.push(format!(
            "Kết nạp {} đảng viên mới, đạt {} kế hoạch",
            2 + rng.below(12),
            percent(rng, 100.0)
        ));
    }
    sentences.push(format!(
        "Đảng bộ {commune_word} được Ban Thường vụ {} đánh giá, xếp loại {}",
        rng.pick(&["Huyện ủy", "Thị ủy", "Thành ủy"]),
        rating_words(rng)
    ));
    sentences
}

fn targets(rng: &mut Rng, plan_year: i32) -> String {
    let income = rng.amount(35.0, 85.0, 0);
    let poor = rng.amount(0.3, 2.5, 1);
    let insured = rng.amount(92.0, 99.0, 1);
    format!(
        "Năm {plan_year}, phấn đấu đạt các chỉ tiêu chủ yếu: thu nhập bình quân đầu người đạt {income} triệu đồng/năm; \
         giảm tỷ lệ hộ nghèo {}; tỷ lệ bao phủ bảo hiểm y tế đạt {}; 100% chi bộ hoàn thành tốt nhiệm vụ trở lên.",
        percent(rng, poor),
        percent(rng, insured)
    )
}

fn level_word(rng: &mut Rng) -> (&'static str, &'static str) {
    rng.pick(&[
        ("xã", "Xã"),
        ("xã", "Xã"),
        ("xã", "Xã"),
        ("phường", "Phường"),
        ("thị trấn", "Thị trấn"),
    ])
}

fn news_article(rng: &mut Rng, commune: &str, district: &str, province: &str, year: i32) -> String {
    let (level, _) = level_word(rng);
    let (district_word, _) = rng.pick(&DISTRICT_WORDS);
    let day = 10 + rng.below(20);
    let month = if rng.chance(85) { 12 } else { 1 };
    let meeting_year = if month == 12 { year } else { year + 1 };
    let when = match rng.below(3) {
        0 => format!("Ngày {day}/{month}/{meeting_year}"),
        1 => format!("Sáng ngày {day}/{month}"),
        _ => format!("Chiều {day}/{month}/{meeting_year}"),
    };
    let committee = format!("Đảng ủy {level} {commune}");
    let mut text = format!(
        "{committee} tổ chức hội nghị tổng kết công tác Đảng năm {year}, triển khai phương hướng, nhiệm vụ năm {}\n",
        year + 1
    );
    text.push_str(&format!(
        "{when}, Đảng bộ {level} {commune}, {district_word} {district}, tỉnh {province} tổ chức hội nghị tổng kết công tác \
         xây dựng Đảng và hệ thống chính trị năm {year}; triển khai phương hướng, nhiệm vụ năm {}. Dự hội nghị có đồng chí \
         {} {}, {}.\n",
        year + 1,
        rng.pick(&["Nguyễn Văn", "Trần Thị", "Lê Quang", "Phạm Minh", "Võ Văn", "Đinh Lương"]),
        rng.pick(&["Hùng", "Lan", "Tiến", "Hào", "Tuấn", "Hương", "Dũng"]),
        rng.pick(&["UVBTV, Trưởng Ban Tuyên giáo Huyện ủy", "HUV, Phó Chủ tịch UBND huyện", "UV BTV - Chủ nhiệm UBKT"])
    ));
    text.push_str(&format!(
        "Năm {year}, {committee} tiếp tục đổi mới phương thức lãnh đạo; các chỉ tiêu chủ yếu cơ bản đều đạt và vượt kế hoạch đề ra. "
    ));
    text.push_str(&results(rng, year).join("; "));
    text.push_str(".\n");
    if rng.chance(40) {
        text.push_str(rng.pick(&[
            "Xã đạt chuẩn nông thôn mới kiểu mẫu; phong trào thi đua được triển khai sâu rộng.\n",
            "Xã tiếp tục giữ vững chuẩn nông thôn mới nâng cao; quốc phòng, an ninh được giữ vững.\n",
            "Công tác chuyển đổi số, cấp căn cước công dân và định danh điện tử được hoàn thành.\n",
        ]));
    }
    text.push_str(&party_results(rng, level).join(". "));
    text.push_str(".\n");
    text.push_str(&format!(
        "Bên cạnh kết quả đạt được, vẫn còn tồn tại, hạn chế: {}.\n",
        rng.pick(&[
            "tiến độ giải ngân vốn đầu tư công còn chậm",
            "chất lượng sinh hoạt chi bộ ở một số nơi chưa cao",
            "thu hút đầu tư còn hạn chế",
        ])
    ));
    text.push_str(&targets(rng, year + 1));
    text.push('\n');
    if rng.chance(50) {
        text.push_str(&format!(
            "Dịp này, Đảng ủy {level} đã khen thưởng cho {} tập thể và {} cá nhân có thành tích xuất sắc.\n",
            1 + rng.below(6),
            3 + rng.below(30)
        ));
    }
    text
}

fn official_report(
    rng: &mut Rng,
    commune: &str,
    district: &str,
    province: &str,
    year: i32,
) -> String {
    let (level, _) = level_word(rng);
    let (district_word, district_title) = rng.pick(&DISTRICT_WORDS);
    let number_seq = 20 + rng.below(120);
    let day = 10 + rng.below(20);
    let mut text = format!(
        "ĐẢNG BỘ {} {}\nĐẢNG ỦY {} {}\n*\nSố: {number_seq}-BC/ĐU\n{commune}, ngày {day} tháng 12 năm {year}\n\nBÁO CÁO\n\
         Tổng kết công tác xây dựng Đảng năm {year}, phương hướng, nhiệm vụ năm {}\n\n",
        district_title.to_uppercase(),
        district.to_uppercase(),
        level.to_uppercase(),
        commune.to_uppercase(),
        year + 1
    );
    text.push_str(&format!(
        "Thực hiện Nghị quyết Đại hội Đảng bộ {district_word} {district} lần thứ XX, nhiệm kỳ 2020 - 2025 và hướng dẫn \
         của Ban Thường vụ Tỉnh ủy {province}, Đảng ủy {level} {commune} báo cáo kết quả như sau:\n"
    ));
    text.push_str("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM ");
    text.push_str(&year.to_string());
    text.push_str("\n1. Về phát triển kinh tế - xã hội\n");
    for sentence in results(rng, year) {
        text.push_str("- ");
        text.push_str(&sentence);
        text.push_str(".\n");
    }
    text.push_str("2. Công tác xây dựng Đảng\n");
    for sentence in party_results(rng, level) {
        text.push_str("- ");
        text.push_str(&sentence);
        text.push_str(".\n");
    }
    text.push_str("II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM ");
    text.push_str(&(year + 1).to_string());
    text.push('\n');
    text.push_str(&targets(rng, year + 1));
    text.push_str("\nNơi nhận:\n- Ban Thường vụ ");
    text.push_str(rng.pick(&["Huyện ủy", "Thị ủy", "Thành ủy"]));
    text.push_str(";\n- Lưu Văn phòng Đảng ủy.\nT/M ĐẢNG ỦY\nBÍ THƯ\n");
    text
}

fn other_text(rng: &mut Rng, commune: &str, district: &str, year: i32) -> String {
    match rng.below(3) {
        0 => format!(
            "Xã {commune} tổ chức Ngày hội thể thao năm {year}\nSáng 2/9, xã {commune}, huyện {district} tổ chức ngày hội \
             thể thao với {} vận động viên tham gia các môn bóng đá, kéo co, cầu lông.\n",
            80 + rng.below(300)
        ),
        1 => format!(
            "Huyện {district} mở lớp bồi dưỡng kết nạp Đảng năm {year}\nTrong 5 ngày, {} học viên là quần chúng ưu tú \
             được học tập những nội dung cơ bản về Đảng Cộng sản Việt Nam.\n",
            40 + rng.below(80)
        ),
        _ => format!(
            "Hội nghị triển khai công tác phòng chống thiên tai năm {year}\nUBND huyện {district} tổ chức hội nghị triển \
             khai kế hoạch phòng chống thiên tai và tìm kiếm cứu nạn; xã {commune} được giao {} phương án.\n",
            2 + rng.below(8)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_index_give_the_same_text() {
        let generator = Generator::new(7);
        assert_eq!(generator.generate(42), generator.generate(42));
        assert_ne!(generator.generate(42).text, generator.generate(43).text);
        assert_ne!(
            Generator::new(8).generate(42).text,
            generator.generate(42).text
        );
    }

    #[test]
    fn each_commune_comes_back_a_year_later() {
        let generator = Generator::new(1);
        let first = generator.generate(5);
        let next = generator.generate(5 + Generator::communes());
        assert_eq!(
            (first.commune.as_str(), first.district.as_str()),
            (next.commune.as_str(), next.district.as_str())
        );
        assert_eq!(next.year, first.year + 1);
    }

    #[test]
    fn texts_vary_in_kind_and_form() {
        let generator = Generator::new(3);
        let texts: Vec<Synthetic> = (0..400).map(|i| generator.generate(i)).collect();
        assert!(texts.iter().any(|t| t.text.starts_with("ĐẢNG BỘ")));
        assert!(
            texts
                .iter()
                .any(|t| t.text.contains("tổ chức hội nghị tổng kết"))
        );
        assert!(texts.iter().any(|t| !t.is_report));
        assert!(texts.iter().any(|t| t.text.contains("uỷ")));
        let per_province = DISTRICTS_PER_PROVINCE * COMMUNES_PER_DISTRICT;
        let provinces: std::collections::BTreeSet<String> = (0..PROVINCES.len())
            .map(|p| generator.generate(p * per_province).province)
            .collect();
        assert_eq!(provinces.len(), PROVINCES.len());
        assert!(texts.iter().all(|t| t.text.len() > 200));
    }
}
