//! Masking personal data for lists and exports (GB/T 35273: show only what the task needs).

/// `13800138000` → `138****8000`.
pub fn mask_phone(phone: &str) -> String {
    mask_middle(phone, 3, 4)
}

/// An 18-character national ID → `110105**********1X` keeps the region and the check part
/// out of full view: first 6 (region) and last 2 characters only.
pub fn mask_id_number(id: &str) -> String {
    mask_middle(id, 6, 2)
}

/// A name shows its first character: `王丽` → `王*`, `欧阳娜娜` → `欧***`.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

fn mask_middle(value: &str, keep_start: usize, keep_end: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= keep_start + keep_end {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - keep_start - keep_end;
    chars[..keep_start]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(&chars[chars.len() - keep_end..])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_the_carrier_prefix_and_the_last_four() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
    }

    #[test]
    fn id_numbers_keep_the_region_and_the_last_two() {
        assert_eq!(mask_id_number("11010519491231002X"), "110105**********2X");
    }

    #[test]
    fn names_keep_the_family_name() {
        assert_eq!(mask_name("王丽"), "王*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn short_values_are_hidden_entirely() {
        assert_eq!(mask_phone("1234"), "****");
    }
}
