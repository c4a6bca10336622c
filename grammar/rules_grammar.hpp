// The grammar of rule files (.rules), in PEGTL. French and English keywords; one language per file
// (the checker enforces that with the en<>/fr<> markers below). No actions, no AST, no I/O here:
// compiler/parse_rules.cpp builds the AST from the parse tree; grammar/rules_errors.hpp holds the
// messages. docs/language.md is the reference this grammar implements.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include <tao/pegtl.hpp>

#include "grammar/keywords.hpp"

namespace secretc::grammar::rules {

namespace p = tao::pegtl;

// Language markers: every keyword is wrapped in exactly one of these, so that the parse tree says
// which language each keyword was written in.
template <typename K>
struct en : K {};
template <typename K>
struct fr : K {};
template <typename K>
struct both : K {};  // the same word in both languages (`cite`, `note`, `test`)

// clang-format off

// --- layout ---------------------------------------------------------------------------------------
struct comment : p::seq< p::one< '#' >, p::until< p::eolf > > {};
struct ws : p::sor< p::one< ' ', '\t', '\r', '\n' >, comment > {};
// clang-format on
// in.bump(to - in.current()), the line feeds over which are known: `lines` of them, the last just before
// `line_begin`. PEGTL's bump of an input that tracks lines tests every byte for a line feed.
template <typename ParseInput>
void advance(ParseInput& in, const char* to, std::size_t lines, const char* line_begin) {
  const auto n = static_cast<std::size_t>(to - in.current());
  if constexpr (requires { in.iterator().line; } && ParseInput::eol_t::ch == '\n') {
    auto& at = in.iterator();
    at.data = to;
    at.byte += n;
    if (lines > 0) {
      at.line += lines;
      at.column = static_cast<std::size_t>(to - line_begin) + 1;
    } else {
      at.column += n;
    }
  } else {
    in.bump(n);
  }
}
// in.bump(n), the line feeds found by memchr.
template <typename ParseInput>
void bump_over(ParseInput& in, std::size_t n) {
  const char* at = in.current();
  const char* const to = at + n;
  std::size_t lines = 0;
  const char* line_begin = nullptr;
  while (at != to) {
    const void* const feed = std::memchr(at, '\n', static_cast<std::size_t>(to - at));
    if (feed == nullptr) break;
    ++lines;
    at = static_cast<const char*>(feed) + 1;
    line_begin = at;
  }
  advance(in, to, lines, line_begin);
}

// What p::star< ws > matches — blanks, line ends and comments, each comment up to and with its line
// feed (or to the end) — scanned by a byte loop: it follows every token, and a rule per byte made it a
// tenth of compiling the Belgian rulebase. Compared with the PEGTL form by tests/grammar/fast_paths_test.cpp.
template <typename Star>
struct layout_scan : Star {
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*unused*/) {
    const char* const begin = in.current();
    const char* const end = begin + in.size();
    const char* at = begin;
    std::size_t lines = 0;
    const char* line_begin = nullptr;
    while (at != end) {
      const char c = *at;
      if (c == ' ' || c == '\t' || c == '\r') {
        ++at;
      } else if (c == '\n' || c == '#') {
        while (*at != '\n' && ++at != end) {
        }
        if (at == end) break;
        ++lines;
        line_begin = ++at;
      } else {
        break;
      }
    }
    if (at != begin) advance(in, at, lines, line_begin);
    return true;
  }
};
// clang-format off
struct sp : layout_scan< p::star< ws > > {};
template< typename R > struct tok : p::seq< R, sp > {};
struct blank_gap : p::plus< p::one< ' ', '\t' > > {};

// --- keywords -------------------------------------------------------------------------------------
// clang-format on
// Every keyword rule is generated from grammar/keywords.def: the French spellings then the English
// ones, each in its language's marker (both<> when the two languages share it), the words of a spelling
// with blanks and comments between them.
namespace keywords {

enum class Marker : std::uint8_t { English, French, Both };

struct Alternative {
  std::string_view text;
  Marker marker;
};

constexpr std::size_t alternative_count(Kw id) {
  std::size_t n = keyword_spellings(id, TextLang::French);
  for (std::size_t s = 0; s < keyword_spellings(id, TextLang::English); ++s) {
    n += keyword_has_spelling(id, TextLang::French, keyword_spelling(id, TextLang::English, s)) ? 0 : 1;
  }
  return n;
}

constexpr Alternative alternative(Kw id, std::size_t a) {
  const std::size_t french = keyword_spellings(id, TextLang::French);
  if (a < french) {
    const std::string_view text = keyword_spelling(id, TextLang::French, a);
    return {text, keyword_has_spelling(id, TextLang::English, text) ? Marker::Both : Marker::French};
  }
  a -= french;
  for (std::size_t s = 0;; ++s) {
    const std::string_view text = keyword_spelling(id, TextLang::English, s);
    if (keyword_has_spelling(id, TextLang::French, text)) continue;
    if (a-- == 0) return {text, Marker::English};
  }
}

constexpr std::size_t word_count(std::string_view text) {
  std::size_t n = 1;
  for (const char c : text) n += c == ' ' ? 1 : 0;
  return n;
}
constexpr std::string_view word_of(std::string_view text, std::size_t w) {
  for (; w > 0; --w) text = text.substr(text.find(' ') + 1);
  return text.substr(0, text.find(' '));
}

// The first word of every spelling of a reserved keyword, each once.
constexpr bool reserves(const KeywordInfo& k, TextLang lang) {
  return k.reserved == KwReserved::Both || (k.reserved == KwReserved::English && lang == TextLang::English);
}
template <typename F>
constexpr void for_each_reserved(F f) {
  for (const KeywordInfo& k : kKeywords) {
    for (const TextLang lang : {TextLang::French, TextLang::English}) {
      if (!reserves(k, lang)) continue;
      for (std::size_t s = 0; s < keyword_spellings(k.id, lang); ++s) f(word_of(keyword_spelling(k.id, lang, s), 0));
    }
  }
}
// In one pass (clang bounds the steps of a constant evaluation): every first word, then each kept once.
constexpr std::size_t reserved_spellings() {
  std::size_t n = 0;
  for_each_reserved([&](std::string_view) { ++n; });
  return n;
}
struct ReservedSet {
  std::array<std::string_view, reserved_spellings()> words{};
  std::size_t size = 0;
};
constexpr ReservedSet reserved_set() {
  ReservedSet set;
  for_each_reserved([&](std::string_view w) {
    for (std::size_t i = 0; i < set.size; ++i) {
      if (set.words[i] == w) return;
    }
    set.words[set.size++] = w;
  });
  return set;
}
inline constexpr ReservedSet kReservedSet = reserved_set();
constexpr std::array<std::string_view, kReservedSet.size> reserved_words() {
  std::array<std::string_view, kReservedSet.size> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = kReservedSet.words[i];
  return out;
}
inline constexpr auto kReserved = reserved_words();

// A word (a type with a static `text`) as a PEGTL keyword.
template <typename S, std::size_t... I>
auto word_rule(std::index_sequence<I...>) -> p::ascii::keyword<S::text[I]...>;
template <typename S>
using word = decltype(word_rule<S>(std::make_index_sequence<S::text.size()>{}));

template <Kw Id, std::size_t A, std::size_t W>
struct word_text {
  static constexpr std::string_view text = word_of(alternative(Id, A).text, W);
};
// One word of a spelling, as its own rule rather than the bare keyword<> that `reserved` also tries: a
// parse tree can then keep the words of keywords (compiler/parse_rules.cpp's syntax tree, for the
// formatter) without making a node at each reserved word tried before a name.
template <Kw Id, std::size_t A, std::size_t W>
struct phrase_word : word<word_text<Id, A, W>> {};
template <Kw Id, std::size_t A, std::size_t... W>
auto phrase_rule(std::index_sequence<W...>) -> p::seq<phrase_word<Id, A, 0>, p::seq<sp, phrase_word<Id, A, W + 1>>...>;
template <Kw Id, std::size_t A>
using phrase = decltype(phrase_rule<Id, A>(std::make_index_sequence<word_count(alternative(Id, A).text) - 1>{}));

template <Marker M, typename R>
struct marked_t;
template <typename R>
struct marked_t<Marker::English, R> {
  using type = en<R>;
};
template <typename R>
struct marked_t<Marker::French, R> {
  using type = fr<R>;
};
template <typename R>
struct marked_t<Marker::Both, R> {
  using type = both<R>;
};
template <Kw Id, std::size_t A>
using marked = typename marked_t<alternative(Id, A).marker, phrase<Id, A>>::type;

template <Kw Id, std::size_t... A>
auto alternatives_rule(std::index_sequence<A...>) -> p::sor<marked<Id, A>...>;

template <std::size_t N>
struct reserved_text {
  static constexpr std::string_view text = kReserved[N];
};
template <std::size_t... N>
auto reserved_rule(std::index_sequence<N...>) -> p::sor<word<reserved_text<N>>...>;

// The reserved words by their first byte: kReserved's indices, those of one first byte together, in
// order. A name is tried at every word of a file; trying each reserved word there in turn was a tenth
// of compiling the Belgian rulebase.
struct ReservedIndex {
  std::array<std::uint16_t, 257> first{};  // words starting with byte b: order[first[b]] … order[first[b + 1] - 1]
  std::array<std::uint16_t, kReserved.size()> order{};
  std::size_t longest = 0;
};
constexpr ReservedIndex reserved_index() {
  ReservedIndex index;
  std::size_t n = 0;
  for (std::size_t b = 0; b < 256; ++b) {
    index.first[b] = static_cast<std::uint16_t>(n);
    for (std::size_t i = 0; i < kReserved.size(); ++i) {
      if (static_cast<unsigned char>(kReserved[i].front()) == b) index.order[n++] = static_cast<std::uint16_t>(i);
    }
  }
  index.first[256] = static_cast<std::uint16_t>(n);
  for (const std::string_view w : kReserved) index.longest = w.size() > index.longest ? w.size() : index.longest;
  return index;
}
inline constexpr ReservedIndex kReservedIndex = reserved_index();

constexpr bool identifier_other(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// What p::sor<p::ascii::keyword<w>...> over the reserved words matches (one of them, not followed by a
// letter, a digit or `_`), found through kReservedIndex. The sor stays the rule's type for
// p::analyze and the parse tree; only its match is replaced.
template <typename Sor>
struct reserved_lookup : Sor {
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*unused*/) {
    const std::size_t available = in.size(kReservedIndex.longest + 1);
    if (available == 0) return false;
    const char* at = in.current();
    const auto b = static_cast<unsigned char>(at[0]);
    for (std::size_t k = kReservedIndex.first[b]; k < kReservedIndex.first[b + 1u]; ++k) {
      const std::string_view w = kReserved[kReservedIndex.order[k]];
      if (w.size() > available || std::string_view(at, w.size()) != w) continue;
      if (w.size() < available && identifier_other(at[w.size()])) continue;
      in.bump_in_this_line(w.size());
      return true;
    }
    return false;
  }
};

}  // namespace keywords

template <Kw Id>
using keyword_word =
    decltype(keywords::alternatives_rule<Id>(std::make_index_sequence<keywords::alternative_count(Id)>{}));
template <Kw Id>
using keyword_token = tok<keyword_word<Id>>;

#define SECRETC_KEYWORD(id, rule, form, reserved, english, french) \
  struct rule : keyword_##form<Kw::id> {};
#include "grammar/keywords.def"
#undef SECRETC_KEYWORD
// clang-format off

struct kw_fired : tok< kw_fired_word > {};

// Words that cannot start a name: every keyword that can begin or continue a declaration, a clause
// or an expression, so that `quand a et` followed by `alors` is an error, not a name `alors`
// (keywords.def's `reserved` column).
struct reserved : keywords::reserved_lookup< decltype( keywords::reserved_rule( std::make_index_sequence< keywords::kReserved.size() >{} ) ) > {};

// --- names and literals ---------------------------------------------------------------------------
struct ident_first : p::ranges< 'a', 'z', 'A', 'Z', '_' > {};
struct ident_other : p::ranges< 'a', 'z', 'A', 'Z', '0', '9', '_' > {};
struct word : p::seq< ident_first, p::star< ident_other > > {};
struct ident : p::seq< p::not_at< reserved >, word > {};
struct name : p::seq< ident, p::star< p::one< '.' >, word > > {};  // confident.fonction, juridiction, medecin
struct member : ident {};       // an enumeration member where only a member can stand
struct rule_ref : ident {};     // a rule named in `overrides` or a test
struct rule_name : ident {};
struct enum_name : ident {};
struct enum_ref : ident {};     // an enumeration named as a type

// A name or a member is ASCII: an accented letter just after one (`peut_révéler` read as `peut_r`) is
// reported there, wherever a name must stand (not where a name is only tried, as before a keyword).
struct accented_letter : p::utf8::range< 0xC0, 0x24F > {};  // À … ɏ
struct accented_name : p::success {};
struct unaccented : p::sor< p::not_at< p::opt< p::one< '.' > >, accented_letter >, p::raise< accented_name > > {};
template< typename R > struct name_tok : p::seq< R, unaccented, sp > {};

struct escape : p::one< '"', '\\' > {};
struct string_char : p::sor< p::seq< p::one< '\\' >, p::must< escape > >, p::not_one< '"', '\\' > > {};
// clang-format on
// The closing quote of a string's text starting at `from` (a backslash only before `"` or `\`, else
// SyntaxBadEscape is raised just after it), or nullptr when the input ends first. Scanned byte by byte,
// without a rule per character: strings are most of a rule file's bytes (citations, notes, questions).
template <template <typename...> class Control, typename ParseInput, typename... States>
const char* closing_quote(ParseInput& in, const char* from, States&&... st) {
  const char* const end = in.current() + in.size();
  for (const char* at = from; at != end; ++at) {
    if (*at == '"') return at;
    if (*at != '\\') continue;
    if (at + 1 == end || (at[1] != '"' && at[1] != '\\')) {
      in.bump(static_cast<std::size_t>(at - in.current()) + 1);
      Control<escape>::raise(static_cast<const ParseInput&>(in), st...);
    }
    ++at;
  }
  return nullptr;
}

// What p::until< p::one< '"' >, string_char > matches: the text and its closing quote.
template <typename Until>
struct string_scan : Until {
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    const char* const quote = closing_quote<Control>(in, in.current(), st...);
    if (quote == nullptr) return false;
    bump_over(in, static_cast<std::size_t>(quote - in.current()) + 1);
    return true;
  }
};
// clang-format off
struct string_body : string_scan< p::until< p::one< '"' >, string_char > > {};
// An unterminated string is reported at its opening quote, not at the end of the file it ran into.
struct closed_string : p::at< p::one< '"' >, string_body > {};
// clang-format on
// What p::seq< p::at< p::one< '"' > >, p::must< closed_string >, p::one< '"' >, string_body > matches, in
// one scan instead of two (the end first looked for by closed_string, then the text read again): the
// same errors, SyntaxBadEscape just after a bad backslash and SyntaxUnterminatedString at the opening quote.
template <typename Seq>
struct string_lit_scan : Seq {
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    if (in.empty() || in.peek_char() != '"') return false;
    const char* const quote = closing_quote<Control>(in, in.current() + 1, st...);
    if (quote == nullptr) {
      Control<closed_string>::raise(static_cast<const ParseInput&>(in), st...);  // at the opening quote
      return false;
    }
    bump_over(in, static_cast<std::size_t>(quote - in.current()) + 1);
    return true;
  }
};
// clang-format off
struct string_lit : string_lit_scan< p::seq< p::at< p::one< '"' > >, p::must< closed_string >, p::one< '"' >, string_body > > {};

struct digit : p::digit {};
struct date_lit : p::seq< p::rep< 4, digit >, p::one< '-' >, p::rep< 2, digit >, p::one< '-' >, p::rep< 2, digit >, p::not_at< ident_other > > {};
struct article_suffix : p::sor< TAO_PEGTL_STRING( "bis" ), TAO_PEGTL_STRING( "ter" ), TAO_PEGTL_STRING( "quater" ), TAO_PEGTL_STRING( "quinquies" ),
                                TAO_PEGTL_STRING( "sexies" ), TAO_PEGTL_STRING( "septies" ), TAO_PEGTL_STRING( "octies" ),
                                TAO_PEGTL_STRING( "novies" ), TAO_PEGTL_STRING( "decies" ) > {};
struct article_lit : p::seq< p::plus< digit >, p::sor< p::seq< p::one< '/' >, p::plus< digit >, p::opt< article_suffix > >, article_suffix >, p::not_at< ident_other > > {};
struct integer_lit : p::seq< p::opt< p::one< '-' > >, p::plus< digit >, p::not_at< ident_other > > {};
struct literal : p::sor< date_lit, article_lit, integer_lit, string_lit, true_lit, false_lit, today_lit > {};

// --- expressions ----------------------------------------------------------------------------------
struct expr;
struct close_paren : tok< p::one< ')' > > {};
struct open_paren : tok< p::one< '(' > > {};
struct paren : p::seq< open_paren, p::must< expr >, p::must< close_paren > > {};
struct primary : p::sor< paren, tok< literal >, name_tok< name > > {};

struct op_eq : p::sor< TAO_PEGTL_STRING( "==" ), p::seq< p::one< '=' >, p::not_at< p::one< '=' > > > > {};
struct op_ne : TAO_PEGTL_STRING( "!=" ) {};
struct op_le : TAO_PEGTL_STRING( "<=" ) {};
struct op_ge : TAO_PEGTL_STRING( ">=" ) {};
struct op_lt : p::one< '<' > {};
struct op_gt : p::one< '>' > {};
struct compare_op : p::sor< op_eq, op_ne, op_le, op_ge, op_lt, op_gt > {};
struct operand : primary {};
// `== non`: the author meant `faux`.
struct non_for_false : p::success {};
struct compared : p::sor< p::seq< p::at< kw_not >, p::raise< non_for_false > >, p::must< operand > > {};
struct compare_tail : p::plus< tok< compare_op >, compared > {};

struct dotdot : TAO_PEGTL_STRING( ".." ) {};
struct range_end : tok< literal > {};
struct set_item : p::seq< p::sor< tok< literal >, tok< name > >, p::opt< tok< dotdot >, p::must< range_end > > > {};
struct set_close : tok< p::one< '}' > > {};
struct set_lit : p::seq< tok< p::one< '{' > >, p::opt< p::list_tail< set_item, tok< p::one< ',' > > > >, p::must< set_close > > {};
struct set_operand : p::sor< set_lit, tok< name > > {};
struct in_tail : p::seq< p::sor< op_not_in, op_in >, p::must< set_operand > > {};
struct known_tail : p::sor< op_is_known, op_is_unknown > {};
struct comparison : p::seq< primary, p::opt< p::sor< compare_tail, in_tail, known_tail > > > {};

struct not_operand;
struct negation : p::seq< kw_not, p::must< not_operand > > {};
struct not_operand : p::sor< negation, comparison > {};
// The wrappers are seq<> rather than derived structs so that the wrapped rule is matched as itself
// and still makes its parse-tree node.
struct and_operand : p::seq< not_operand > {};
struct and_expr : p::seq< not_operand, p::star< kw_and, p::must< and_operand > > > {};
struct or_operand : p::seq< and_expr > {};
struct or_expr : p::seq< and_expr, p::star< kw_or, p::must< or_operand > > > {};
struct expr : p::seq< or_expr > {};

// --- declarations ---------------------------------------------------------------------------------
struct comma : tok< p::one< ',' > > {};
struct open_brace : tok< p::one< '{' > > {};
struct close_brace : tok< p::one< '}' > > {};
struct colon : tok< p::one< ':' > > {};
struct equals : tok< p::one< '=' > > {};
struct string_token : tok< string_lit > {};
struct date_token : tok< date_lit > {};
struct name_token : name_tok< name > {};
struct rule_name_token : name_tok< rule_name > {};
struct enum_name_token : name_tok< enum_name > {};
struct member_token : name_tok< member > {};
struct rule_ref_token : name_tok< rule_ref > {};

struct members : p::list_tail< member_token, comma > {};
// A text in the other language, after the text it translates: `"Médecin" en "Doctor"` in a French file,
// `"Doctor" fr "Médecin"` in an English one. (Not an en<>/fr<> keyword: either may stand in either file.)
struct translation_lang : p::sor< TAO_PEGTL_KEYWORD( "en" ), TAO_PEGTL_KEYWORD( "fr" ) > {};
struct translation_text : string_token {};
struct translation : p::seq< tok< translation_lang >, p::must< translation_text > > {};
struct member_label : string_token {};
struct synonym_word : ident {};  // another word a case file may write for the member
struct synonym : p::seq< tok< p::one< '|' > >, p::must< tok< synonym_word > > > {};
struct labelled_member : p::seq< member_token, p::star< synonym >, p::opt< member_label, p::opt< translation > > > {};
struct labelled_members : p::list_tail< labelled_member, comma > {};
struct member_list : p::seq< open_brace, p::must< labelled_members >, p::must< close_brace > > {};

struct rulebase_name : string_token {};
struct rulebase_version : string_token {};
struct law_date : date_token {};
struct law_as_of : p::seq< kw_as_of, p::must< law_date > > {};
struct rulebase_decl : p::seq< kw_rulebase, p::must< rulebase_name >, p::must< kw_version >, p::must< rulebase_version >, p::opt< law_as_of > > {};

struct enum_decl : p::seq< kw_enum, p::must< enum_name_token >, p::must< member_list > > {};

struct inline_enum : p::seq< kw_enum, p::must< member_list > > {};
struct type_name : p::sor< tok< type_bool >, tok< type_integer >, tok< type_string >, tok< type_date >, tok< type_article >, tok< enum_ref > > {};
struct base_type : p::sor< inline_enum, type_name > {};
struct set_type : p::seq< kw_set_of, p::must< base_type > > {};
struct type_ref : p::sor< set_type, base_type > {};

struct default_value : p::sor< tok< literal >, member_token > {};
struct question : string_token {};
struct help_text : string_token {};
struct help_clause : p::seq< kw_help, p::must< help_text >, p::opt< translation > > {};
struct fact_decl : p::seq< kw_fact, p::must< name_token >, p::must< colon >, p::must< type_ref >,
                           p::opt< equals, p::must< default_value > >, p::opt< question, p::opt< translation > >,
                           p::opt< help_clause > > {};

// `thème danger "Le danger"`: the label of the facts whose name begins with `danger.` (or is `danger`).
struct theme_name : ident {};
struct theme_label : string_token {};
struct theme_decl : p::seq< kw_theme, p::must< tok< theme_name > >, p::must< theme_label >, p::opt< translation > > {};

struct define_value : p::sor< set_lit, expr > {};
struct define_decl : p::seq< kw_define, p::must< name_token >, p::opt< colon, p::must< type_ref > >, p::must< equals >, p::must< define_value > > {};

struct output_default : member_token {};
struct doubt_member : member_token {};
struct doubt_clause : p::seq< kw_in_doubt, p::must< doubt_member >, p::star< comma, p::must< doubt_member > > > {};
struct output_decl : p::seq< kw_output, p::must< name_token >, p::must< colon >, p::must< type_ref >, p::opt< equals, p::must< output_default > >,
                             p::opt< doubt_clause > > {};

// The mistakes authors make most in a rule, each raised where it is (else the rule would end there, and
// the error be "expected a declaration" at what follows). Only the lookaheads of rule_end and
// condition_end try them, where nothing valid but a clause or a declaration may follow.
struct declaration_start;
struct effect_start : p::seq< p::not_at< declaration_start >, tok< name >, p::sor< TAO_PEGTL_STRING( "+=" ), p::seq< p::one< '=' >, p::not_at< p::one< '=' > > > > > {};
struct missing_then : p::success {};  // `verdict = …` where `alors verdict = …` was meant
struct if_word : p::sor< TAO_PEGTL_KEYWORD( "si" ), TAO_PEGTL_KEYWORD( "if" ) > {};
struct if_for_when : p::success {};  // `si` for `quand`
struct validity_word : p::sor< TAO_PEGTL_KEYWORD( "valable" ), TAO_PEGTL_KEYWORD( "valid" ) > {};
struct validity_form : p::success {};  // `valable depuis le …`, `valable du … jusqu'au …`
// (Not a text: one may follow a `pourvu que` condition.)
struct condition_start : p::seq< p::not_at< declaration_start >, p::sor< open_paren, kw_not, date_lit, article_lit, integer_lit, true_lit, false_lit, today_lit, name_tok< name > > > {};
struct missing_and_or : p::success {};  // two conditions, one per line, without `et` or `ou` between them
struct rule_mistake : p::sor< p::seq< p::at< effect_start >, p::raise< missing_then > >,
                              p::seq< p::at< if_word >, p::raise< if_for_when > >,
                              p::seq< p::not_at< p::sor< kw_valid_from, kw_valid_until > >, validity_word, sp, p::raise< validity_form > >,
                              p::seq< p::at< TAO_PEGTL_STRING( "jusqu" ), p::sor< p::one< '\'' >, TAO_PEGTL_STRING( "’" ) > >, p::raise< validity_form > > > {};
struct rule_end : p::opt< rule_mistake > {};
struct condition_end : p::opt< p::sor< rule_mistake, p::seq< p::at< condition_start >, p::raise< missing_and_or > > > > {};

// Rules: the clauses may come in any order; the checker requires `then` and refuses duplicates.
struct rule_title : string_token {};
struct cite_clause : p::seq< kw_cite, p::must< string_token > > {};
struct valid_from_date : date_token {};
struct valid_until_date : date_token {};
struct validity_reason : string_token {};
struct valid_clause : p::sor< p::seq< kw_valid_from, p::must< valid_from_date >, p::opt< kw_until, p::must< valid_until_date > >,
                                      p::opt< validity_reason, p::opt< translation > > >,
                              p::seq< kw_valid_until, p::must< valid_until_date >, p::opt< validity_reason, p::opt< translation > > > > {};
struct overrides_clause : p::seq< kw_overrides, p::must< rule_ref_token >, p::star< comma, p::must< rule_ref_token > > > {};
struct when_clause : p::seq< kw_when, p::must< expr >, condition_end > {};
struct add_op : tok< TAO_PEGTL_STRING( "+=" ) > {};
struct member_set : p::seq< open_brace, p::opt< members >, p::must< close_brace > > {};
struct effect_value : p::sor< member_set, member_token > {};
struct effect_add : p::seq< name_token, add_op, p::must< effect_value > > {};
struct effect_assign : p::seq< name_token, equals, p::must< member_token > > {};
struct effect : p::sor< effect_add, effect_assign > {};
struct then_clause : p::seq< kw_then, p::must< effect >, p::star< comma, p::must< effect > > > {};
struct because_clause : p::seq< kw_because, p::must< string_token >, p::opt< translation > > {};
struct note_clause : p::seq< kw_note, p::must< string_token >, p::opt< translation > > {};
struct proviso_text : string_token {};
struct proviso_clause : p::seq< kw_provided, p::must< expr >, condition_end, p::opt< proviso_text, p::opt< translation > > > {};
struct rule_clause : p::sor< cite_clause, valid_clause, overrides_clause, when_clause, proviso_clause, then_clause, because_clause, note_clause > {};
struct rule_decl : p::seq< kw_rule, p::must< rule_name_token >, p::opt< rule_title, p::opt< translation > >, p::star< rule_clause >, rule_end > {};
// A warning takes a rule's clauses; the checker allows only `cite`, `valable`, `quand`, `parce que`, `note`.
struct warning_decl : p::seq< kw_warning, p::must< rule_name_token >, p::opt< rule_title, p::opt< translation > >, p::star< rule_clause >, rule_end > {};

// Tests: `given` values use the case-file value syntax.
struct unknown_value : p::one< '?' > {};
struct given_word : word {};
struct given_value : p::sor< unknown_value, date_lit, article_lit, integer_lit, string_lit, given_word > {};
struct given_item : p::seq< name_token, p::must< equals >, p::must< tok< given_value > > > {};
struct given_clause : p::seq< kw_given, p::must< given_item >, p::star< comma, p::must< given_item > > > {};
struct expect_fired : p::seq< kw_fired, p::must< rule_ref_token > > {};
struct expect_not_fired : p::seq< kw_not_fired, p::must< rule_ref_token > > {};
struct expect_missing : p::seq< kw_missing, p::must< name_token > > {};
struct expected_value : p::sor< member_set, member_token > {};
struct expect_equals : p::seq< equals, p::must< expected_value > > {};
struct expect_contains : p::seq< kw_contains, p::must< member_set > > {};
struct expect_unknown : kw_unknown_output {};
struct expect_possible : p::seq< kw_possible, p::must< member_set > > {};
struct expect_output_rest : p::sor< expect_equals, expect_contains, expect_unknown, expect_possible > {};
struct expect_output : p::seq< name_token, p::must< expect_output_rest > > {};
struct expect_proviso : p::seq< kw_expect_proviso, p::must< rule_ref_token > > {};
struct expect_depends : p::seq< kw_depends_on, p::must< name_token > > {};
struct expect_item : p::sor< expect_not_fired, expect_fired, expect_missing, expect_proviso, expect_depends, expect_output > {};
struct expect_clause : p::seq< kw_expect, p::must< expect_item >, p::star< comma, p::must< expect_item > > > {};
struct test_clause : p::sor< given_clause, expect_clause > {};
struct test_name : string_token {};
struct test_close : close_brace {};
struct test_decl : p::seq< kw_test, p::must< test_name >, p::must< open_brace >, p::star< test_clause >, p::must< test_close > > {};

struct declaration : p::sor< rulebase_decl, enum_decl, fact_decl, define_decl, output_decl, rule_decl, warning_decl, theme_decl, test_decl > {};

// Error recovery: after a malformed declaration, skip to the next line that starts a declaration.
struct declaration_start : p::sor< kw_rulebase, kw_enum, kw_fact, kw_define, kw_output, kw_rule, kw_warning, kw_theme, kw_test > {};
struct line_rest : p::until< p::eolf > {};
struct recovery : p::seq< line_rest, p::star< p::not_at< p::star< p::one< ' ', '\t' > >, declaration_start >, p::not_at< p::eof >, line_rest > > {};

// A file: `Decl` is `must< declaration >` for the strict grammar, or a recovering rule (compiler/).
template< typename Decl > struct file_of : p::seq< p::opt< p::utf8::bom >, sp, p::star< p::not_at< p::eof >, Decl >, p::eof > {};
struct strict_declaration : p::must< declaration > {};
struct file : file_of< strict_declaration > {};

// clang-format on

}  // namespace secretc::grammar::rules
