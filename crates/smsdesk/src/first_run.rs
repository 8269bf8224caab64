//! Rules for the welcome shown the first time SMS Desk opens.

use crate::phone::Country;

/// The country named in a system locale or language tag, when it is one SMS Desk knows:
/// `en_IE.UTF-8`, `en-IE` and `ga_IE@euro` give `IE`. A language alone (`fr`), a region that is
/// not a country (`es-419`), and `C` / `POSIX` give nothing: the person then picks the country.
pub fn country_of_locale(locale: &str) -> Option<String> {
    // Drop the codeset (".UTF-8") and modifier ("@euro") of a POSIX locale.
    let tag = locale.split(['.', '@']).next().unwrap_or_default();
    tag.split(['_', '-'])
        .skip(1) // the language
        .take_while(|part| part.len() > 1) // stop at an extension ("-u-ca-gregory")
        .find(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
        .and_then(|code| Country::parse(code).ok())
        .map(Country::code)
}

#[cfg(test)]
mod tests {
    use super::country_of_locale;

    #[test]
    fn the_country_comes_from_the_locales_region() {
        let cases = [
            ("en_IE.UTF-8", Some("IE")),
            ("en-IE", Some("IE")),
            ("en-ie", Some("IE")),
            ("de_DE@euro", Some("DE")),
            ("ga_IE.UTF-8@euro", Some("IE")),
            ("zh-Hant-TW", Some("TW")),
            ("sr-Latn-RS", Some("RS")),
            ("en-GB-u-ca-gregory", Some("GB")),
        ];
        for (locale, country) in cases {
            assert_eq!(country_of_locale(locale).as_deref(), country, "{locale}");
        }
    }

    #[test]
    fn no_country_is_guessed_without_one() {
        for locale in [
            "",
            "C",
            "C.UTF-8",
            "POSIX",
            "fr",
            "es-419",
            "en_ZZ.UTF-8",
            "en-u-ca-gregory",
        ] {
            assert_eq!(
                country_of_locale(locale),
                None,
                "{locale:?} names no country"
            );
        }
    }
}
