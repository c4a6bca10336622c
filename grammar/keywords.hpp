// The keywords of rule files, from the one table grammar/keywords.def: their ids and their spellings in
// each language. No PEGTL here: the formatter, the decompiler, `diff` and the report read the spellings
// from this header; grammar/rules_grammar.hpp builds its keyword rules and reserved words from it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/program.hpp"

namespace secretc {

enum class Kw : std::uint8_t {
#define SECRETC_KEYWORD(id, rule, form, reserved, english, french) id,
#include "grammar/keywords.def"
#undef SECRETC_KEYWORD
  Count_
};

// Whose first words cannot start a name (keywords.def's `reserved` column).
enum class KwReserved : std::uint8_t { No, English, Both };

struct KeywordInfo {
  Kw id;
  std::string_view rule;  // the grammar rule
  KwReserved reserved;
  std::string_view english;  // spellings separated by `|`, the canonical one first
  std::string_view french;
};

namespace keywords_detail {
constexpr KwReserved reserved_both = KwReserved::Both;
constexpr KwReserved reserved_en = KwReserved::English;
constexpr KwReserved reserved_no = KwReserved::No;
}  // namespace keywords_detail

inline constexpr std::array kKeywords{
#define SECRETC_KEYWORD(id, rule, form, reserved, english, french) \
  KeywordInfo{Kw::id, #rule, keywords_detail::reserved_##reserved, english, french},
#include "grammar/keywords.def"
#undef SECRETC_KEYWORD
};
static_assert(kKeywords.size() == static_cast<std::size_t>(Kw::Count_));

constexpr const KeywordInfo& keyword_info(Kw id) {
  return kKeywords[static_cast<std::size_t>(id)];
}

constexpr std::string_view keyword_list(Kw id, TextLang lang) {
  return lang == TextLang::French ? keyword_info(id).french : keyword_info(id).english;
}

// The number of `|`-separated spellings in a list, and the n-th of them ("" past the last).
constexpr std::size_t spelling_count(std::string_view list) {
  std::size_t n = 1;
  for (const char c : list) n += c == '|' ? 1 : 0;
  return n;
}
constexpr std::string_view nth_spelling(std::string_view list, std::size_t n) {
  std::size_t from = 0;
  for (; n > 0; --n) {
    const std::size_t bar = list.find('|', from);
    if (bar == std::string_view::npos) return {};
    from = bar + 1;
  }
  return list.substr(from, list.find('|', from) - from);
}

// How many spellings a keyword has in a language, and the n-th (0: the canonical one).
constexpr std::size_t keyword_spellings(Kw id, TextLang lang) {
  return spelling_count(keyword_list(id, lang));
}
constexpr std::string_view keyword_spelling(Kw id, TextLang lang, std::size_t n) {
  return nth_spelling(keyword_list(id, lang), n);
}

// The keyword as `secretc fmt` writes it in a language: `règle`, `prime sur`, `valable du`.
constexpr std::string_view keyword_text(Kw id, TextLang lang) {
  return keyword_spelling(id, lang, 0);
}

// A period with a start only is written `valable à partir du D` (the second French spelling of
// ValidFrom), one with both ends `valable du D au D` (the canonical one); in English `valid from` alike.
constexpr std::string_view valid_from_alone_text(TextLang lang) {
  return keyword_spelling(Kw::ValidFrom, lang, keyword_spellings(Kw::ValidFrom, lang) > 1 ? 1 : 0);
}

// Whether a word written in a rule file is one of the keyword's spellings in either language; for a
// keyword of several words, whether it is the n-th word of one of them.
constexpr bool is_keyword_word(Kw id, std::string_view word, std::size_t n = 0) {
  for (const TextLang lang : {TextLang::French, TextLang::English}) {
    for (std::size_t s = 0; s < keyword_spellings(id, lang); ++s) {
      std::string_view spelling = keyword_spelling(id, lang, s);
      for (std::size_t k = 0; k < n && !spelling.empty(); ++k) {
        const std::size_t space = spelling.find(' ');
        spelling = space == std::string_view::npos ? std::string_view{} : spelling.substr(space + 1);
      }
      if (!spelling.empty() && spelling.substr(0, spelling.find(' ')) == word) return true;
    }
  }
  return false;
}

// Whether `spelling` is one of the keyword's spellings in a language.
constexpr bool keyword_has_spelling(Kw id, TextLang lang, std::string_view spelling) {
  for (std::size_t s = 0; s < keyword_spellings(id, lang); ++s) {
    if (keyword_spelling(id, lang, s) == spelling) return true;
  }
  return false;
}

}  // namespace secretc
