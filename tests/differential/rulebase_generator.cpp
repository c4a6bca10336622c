#include "tests/differential/rulebase_generator.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace secretc::differential {

namespace {

enum class Kind : std::uint8_t { Bool, Integer, Date, String, Article, Enum };

struct EnumSpec {
  std::string name;  // for an inline enumeration, its owner's name (not writable as a type)
  std::vector<std::string> members;
  bool named = false;  // declared with `énumération`, so usable as a type name
};

// A name a condition may read.
struct Ref {
  enum class Origin : std::uint8_t { Fact, Definition, Output, SetOutput };
  std::string name;
  Kind kind = Kind::Bool;
  std::size_t enum_id = 0;
  Origin origin = Origin::Fact;
  int level = -1;         // definitions and outputs; see Scope
  std::size_t index = 0;  // definitions: the order in which they are written
};

// A named constant set: `définition s = { … }`.
struct NamedSet {
  std::string name;
  Kind elem = Kind::Integer;
  std::size_t enum_id = 0;
  bool ints_as_articles = false;  // integers only, used where articles are looked up (then read as articles)
};

// What a condition may read without making a dependency cycle. Every output, definition and rule has
// a level: a rule writes outputs of its own level and reads outputs of lower levels; a definition reads
// outputs of lower levels and definitions of lower levels (or of its level, written before it).
struct Scope {
  int level = 0;
  bool in_definition = false;
  std::size_t define_index = 0;
};

// An expression's text and how tightly it binds: 2 a comparison, a negation or a primary;
// 1 an `and`; 0 an `or`.
struct Ex {
  std::string text;
  int prec = 2;
  bool primary = false;  // a name, a literal or a parenthesis: may stand as a comparison operand
};

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class Generator {
 public:
  Generator(std::mt19937_64& rng, const GeneratorLimits& limits) : rng_(rng), limits_(limits) {}

  GeneratedRulebase run() {
    const std::size_t files = 1 + below(limits_.max_files);
    for (std::size_t f = 0; f < files; ++f) out_.english.push_back(chance(0.5));
    levels_ = 1 + static_cast<int>(below(3));

    if (chance(0.7)) {
      file_ = pick_file();
      std::string header = fmt::format("{} {} {} {}", w("rulebase", "base"), quote("Généré"), "version", quote("1"));
      if (chance(0.4)) header += fmt::format(" {} {}", w("as of", "à jour au", "a jour au"), date_literal());
      emit(std::move(header));
    }
    make_enums();
    make_facts();
    make_outputs();
    make_named_sets();
    make_definitions();
    make_rules();
    make_warnings();
    std::shuffle(out_.declarations.begin(), out_.declarations.end(), rng_);  // any order is valid
    return std::move(out_);
  }

 private:
  // --- randomness ----------------------------------------------------------------------------------

  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& one_of(const std::vector<T>& v) {
    return v[below(v.size())];
  }
  std::size_t pick_file() { return below(out_.english.size()); }

  // --- words of the current file's language ----------------------------------------------------------

  [[nodiscard]] bool english() const { return out_.english[file_]; }
  // An English or French keyword; French keywords may be written without their accents.
  std::string w(std::string_view en, std::string_view fr, std::string_view fr_plain = {}) {
    if (english()) return std::string(en);
    if (!fr_plain.empty() && chance(0.3)) return std::string(fr_plain);
    return std::string(fr);
  }
  std::string kw_and() { return w("and", "et"); }
  std::string kw_or() { return w("or", "ou"); }
  std::string kw_not() { return w("not", "non"); }
  std::string kw_true() { return w("true", "vrai"); }
  std::string kw_false() { return w("false", "faux"); }

  void emit(std::string text) { out_.declarations.push_back({file_, std::move(text)}); }

  // --- literals ----------------------------------------------------------------------------------------

  std::string int_literal() {
    static const std::vector<std::int64_t> common{-3, 0, 1, 2, 5, 10, 17, 18, 65};
    const std::int64_t v = chance(0.8) ? one_of(common) : static_cast<std::int64_t>(below(100)) - 20;
    ints_.insert(v);
    return fmt::format("{}", v);
  }
  std::string date_literal() {
    static const std::vector<std::string> common{"2015-01-01", "2017-05-17", "2017-07-06", "2019-03-14",
                                                 "2020-02-29", "2023-12-31", "2024-05-01", "2030-01-01"};
    return one_of(common);
  }
  // An article, written in one of the forms a condition accepts where an article is expected.
  std::string article_literal(bool must_be_article_token = false) {
    static const std::vector<std::string> tokens{"371/1", "377bis", "377quater", "405ter", "433quinquies", "458/2bis"};
    static const std::vector<std::string> plain{"372", "377", "398", "409", "458"};
    if (must_be_article_token || chance(0.5)) return one_of(tokens);
    return chance(0.5) ? one_of(plain) : quote(chance(0.5) ? one_of(plain) : one_of(tokens));
  }
  std::string string_literal() {
    // Strings over several lines are folded to one space: the case then writes the folded text.
    static const std::vector<std::string> pool{"abc",   "Madame L.", "avec \"guillemets\"", "barre \\ oblique",
                                               "é à ç", "",          "deux\n    mots"};
    return quote(one_of(pool));
  }
  std::string member_of(std::size_t enum_id) { return one_of(enums_[enum_id].members); }

  // --- enumerations, facts, outputs --------------------------------------------------------------------

  std::vector<std::string> new_members(const std::string& prefix) {
    // Mostly small; now and then exactly the 64 a set can hold.
    const std::size_t n = limits_.full_enums && chance(0.03) ? 64 : 1 + below(limits_.max_members);
    std::vector<std::string> members;
    for (std::size_t j = 0; j < n; ++j) members.push_back(fmt::format("{}_{}", prefix, j));
    if (n < 64 && chance(0.3)) members.push_back("autre");  // shared by enumerations: read by context
    return members;
  }

  std::string member_list(const std::vector<std::string>& members) {
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i) {
      out += fmt::format("{} {}", i == 0 ? "" : ",", members[i]);
      if (chance(0.2)) out += " " + quote(fmt::format("libellé {}", i));
    }
    return out + " }";
  }

  void make_enums() {
    const std::size_t n = below(limits_.max_enums + 1);
    for (std::size_t k = 0; k < n; ++k) {
      EnumSpec e{fmt::format("e{}", k), new_members(fmt::format("e{}", k)), true};
      file_ = pick_file();
      emit(fmt::format("{} {} {}", w("enum", "énumération", "enumeration"), e.name, member_list(e.members)));
      enums_.push_back(std::move(e));
    }
  }

  // A type for a fact, a definition or an output: its text and its kind.
  std::string type_text(Kind kind, std::size_t enum_id) {
    switch (kind) {
      case Kind::Bool:
        return w("bool", "booléen", "booleen");
      case Kind::Integer:
        return w("integer", "entier");
      case Kind::Date:
        return "date";
      case Kind::String:
        return w("string", "texte");
      case Kind::Article:
        return "article";
      case Kind::Enum:
        return enums_[enum_id].named ? enums_[enum_id].name : std::string();
    }
    return {};
  }

  // A named enumeration, or a fresh inline one owned by `owner` (its text is returned in `inline_text`).
  std::size_t enum_for(const std::string& owner, std::string& inline_text) {
    std::vector<std::size_t> named;
    for (std::size_t i = 0; i < enums_.size(); ++i) {
      if (enums_[i].named) named.push_back(i);
    }
    if (!named.empty() && chance(0.7)) return one_of(named);
    EnumSpec e{owner, new_members(fmt::format("x{}", inline_count_++)), false};
    inline_text = fmt::format("{} {}", w("enum", "énumération", "enumeration"), member_list(e.members));
    enums_.push_back(std::move(e));
    return enums_.size() - 1;
  }

  std::string default_value(Kind kind, std::size_t enum_id) {
    switch (kind) {
      case Kind::Bool:
        return chance(0.5) ? kw_true() : kw_false();
      case Kind::Integer:
        return int_literal();
      case Kind::Date:
        return chance(0.5) ? w("today", "aujourd'hui", "aujourdhui") : date_literal();
      case Kind::String:
        return string_literal();
      case Kind::Article:
        return article_literal(true);
      case Kind::Enum:
        return member_of(enum_id);
    }
    return {};
  }

  void make_facts() {
    const std::size_t n = below(limits_.max_facts + 1);
    static const std::vector<Kind> kinds{Kind::Bool,   Kind::Bool,    Kind::Bool, Kind::Integer, Kind::Date,
                                         Kind::String, Kind::Article, Kind::Enum, Kind::Enum};
    // Types whose every value can be tried, and now and then one whose values are stood for by the
    // program's constants.
    static const std::vector<Kind> finite{Kind::Bool, Kind::Bool, Kind::Bool,    Kind::Bool,   Kind::Enum,   Kind::Enum,
                                          Kind::Enum, Kind::Date, Kind::Integer, Kind::String, Kind::Article};
    for (std::size_t k = 0; k < n; ++k) {
      file_ = pick_file();
      Ref f;
      f.name = fmt::format("g{}.f{}", below(3), k);
      f.kind = one_of(limits_.finite_facts ? finite : kinds);
      std::string type;
      if (f.kind == Kind::Enum) {
        f.enum_id = enum_for(f.name, type);
        if (type.empty()) type = type_text(Kind::Enum, f.enum_id);
      } else {
        type = type_text(f.kind, 0);
      }
      std::string text = fmt::format("{} {} : {}", w("fact", "fait"), f.name, type);
      if (chance(0.3)) text += " = " + default_value(f.kind, f.enum_id);
      if (chance(0.3)) text += " " + quote("Une question ?");
      emit(std::move(text));
      refs_.push_back(std::move(f));
    }
    // `cas.date` is needed by rules with a validity period, and is a fact like another.
    if (chance(0.7)) {
      file_ = pick_file();
      has_case_date_ = true;
      std::string text = fmt::format("{} cas.date : date", w("fact", "fait"));
      if (chance(0.5)) text += " = " + w("today", "aujourd'hui", "aujourdhui");
      emit(std::move(text));
      refs_.push_back({"cas.date", Kind::Date, 0, Ref::Origin::Fact, -1, 0});
    }
  }

  void make_outputs() {
    const std::size_t n = 1 + below(limits_.max_outputs);
    for (std::size_t k = 0; k < n; ++k) {
      file_ = pick_file();
      Ref o;
      o.name = fmt::format("o{}", k);
      o.level = static_cast<int>(below(static_cast<std::size_t>(levels_)));
      o.kind = Kind::Enum;
      std::string type;
      o.enum_id = enum_for(o.name, type);
      if (type.empty()) type = enums_[o.enum_id].name;
      const bool is_set = chance(0.35);
      if (is_set) {
        o.origin = Ref::Origin::SetOutput;
        emit(fmt::format("{} {} : {} {}", w("output", "sortie"), o.name, w("set of", "ensemble de"), type));
      } else {
        o.origin = Ref::Origin::Output;
        std::string text = fmt::format("{} {} : {}", w("output", "sortie"), o.name, type);
        if (chance(0.6)) text += " = " + member_of(o.enum_id);
        if (chance(0.4)) text += " " + doubt_list(o.enum_id);
        emit(std::move(text));
      }
      outputs_.push_back(o);
      refs_.push_back(std::move(o));
    }
  }

  // `dans le doute a, b`: distinct members, from the most cautious.
  std::string doubt_list(std::size_t enum_id) {
    std::vector<std::string> members = enums_[enum_id].members;
    std::shuffle(members.begin(), members.end(), rng_);
    members.resize(1 + below(std::min<std::size_t>(3, members.size())));
    std::string text = w("in doubt", "dans le doute");
    for (std::size_t i = 0; i < members.size(); ++i) text += (i == 0 ? " " : ", ") + members[i];
    return text;
  }

  // Items of a literal set of `kind`: members, or literals and ranges.
  std::string set_items(Kind kind, std::size_t enum_id, bool unique_member_first = false) {
    const std::size_t n = (unique_member_first ? 1 : 0) + below(4);
    std::vector<std::string> items;
    for (std::size_t i = 0; i < n; ++i) {
      switch (kind) {
        case Kind::Enum: {
          std::string m = member_of(enum_id);
          if (i == 0 && unique_member_first) m = enums_[enum_id].members.front();
          items.push_back(std::move(m));
          break;
        }
        case Kind::Integer:
          items.push_back(chance(0.3) ? int_literal() + " .. " + int_literal() : int_literal());
          break;
        case Kind::Date:
          items.push_back(chance(0.4) ? date_literal() + " .. " + date_literal() : date_literal());
          break;
        case Kind::Article:
          items.push_back(chance(0.3) ? article_literal() + " .. " + article_literal() : article_literal());
          break;
        case Kind::String:
          items.push_back(string_literal());
          break;
        case Kind::Bool:
          break;
      }
    }
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) out += fmt::format("{} {}", i == 0 ? "" : ",", items[i]);
    return out + " }";
  }

  void make_named_sets() {
    const std::size_t n = below(4);
    for (std::size_t k = 0; k < n; ++k) {
      file_ = pick_file();
      NamedSet s;
      s.name = fmt::format("s{}", k);
      std::vector<Kind> kinds{Kind::Integer, Kind::Date, Kind::Article, Kind::String};
      if (!enums_.empty()) kinds.insert(kinds.end(), {Kind::Enum, Kind::Enum});
      s.elem = one_of(kinds);
      std::string text = fmt::format("{} {}", w("define", "définition", "definition"), s.name);
      if (s.elem == Kind::Enum) {
        s.enum_id = below(enums_.size());
        // Unannotated, a set's enumeration is the one holding all its members: a member only this
        // enumeration has settles it. Inline enumerations cannot be named in an annotation.
        const bool annotate = enums_[s.enum_id].named && chance(0.5);
        if (annotate) text += fmt::format(" : {} {}", w("set of", "ensemble de"), enums_[s.enum_id].name);
        text += " = " + set_items(Kind::Enum, s.enum_id, !annotate);
      } else if (s.elem == Kind::Integer && chance(0.4)) {
        // Integers only, looked up with articles: the checker reads them as articles.
        s.ints_as_articles = true;
        std::string items = "{ " + std::string(chance(0.5) ? "398 .. 405" : "372");
        if (chance(0.5)) items += ", 458";
        text += " = " + items + " }";
      } else {
        // Unannotated, the set's type is inferred from its items: an empty set has none, and a set of
        // articles needs one article-shaped item (the others, numbers or strings, are then read as articles).
        std::string items = set_items(s.elem, 0);
        if (s.elem == Kind::Article) {
          items = "{ " + article_literal(true) + (items == "{ }" ? " }" : ", " + items.substr(2));
        } else if (items == "{ }") {
          items = "{ " + literal_of(s.elem, 0) + " }";
        }
        text += " = " + items;
      }
      emit(std::move(text));
      sets_.push_back(std::move(s));
    }
  }

  std::string literal_of(Kind kind, std::size_t enum_id) {
    switch (kind) {
      case Kind::Bool:
        return chance(0.5) ? kw_true() : kw_false();
      case Kind::Integer:
        return int_literal();
      case Kind::Date:
        return date_literal();
      case Kind::String:
        return string_literal();
      case Kind::Article:
        return article_literal(true);
      case Kind::Enum:
        return member_of(enum_id);
    }
    return {};
  }

  void make_definitions() {
    const std::size_t n = below(limits_.max_definitions + 1);
    for (std::size_t k = 0; k < n; ++k) {
      file_ = pick_file();
      Scope scope{static_cast<int>(below(static_cast<std::size_t>(levels_))), true, k};
      Ref d;
      d.name = fmt::format("d{}", k);
      d.origin = Ref::Origin::Definition;
      d.level = scope.level;
      d.index = k;
      std::string text = fmt::format("{} {}", w("define", "définition", "definition"), d.name);
      // An alias of another value (any type), or a condition.
      const std::vector<const Ref*> aliases =
          readable(scope, [](const Ref& r) { return r.origin != Ref::Origin::SetOutput; });
      if (!aliases.empty() && chance(0.3)) {
        const Ref& target = *one_of(aliases);
        d.kind = target.kind;
        d.enum_id = target.enum_id;
        const std::string type = type_text(d.kind, d.enum_id);
        if (!type.empty() && chance(0.4)) text += " : " + type;
        text += " = " + target.name;
      } else {
        d.kind = Kind::Bool;
        if (chance(0.3)) text += " : " + type_text(Kind::Bool, 0);
        text += " = " + condition(scope, limits_.max_depth).text;
      }
      emit(std::move(text));
      refs_.push_back(std::move(d));
    }
  }

  // --- conditions ----------------------------------------------------------------------------------

  template <typename Pred>
  std::vector<const Ref*> readable(const Scope& scope, Pred pred) const {
    std::vector<const Ref*> out;
    for (const Ref& r : refs_) {
      if (!pred(r)) continue;
      switch (r.origin) {
        case Ref::Origin::Fact:
          break;
        case Ref::Origin::Definition:
          if (scope.in_definition) {
            if (!(r.level < scope.level || (r.level == scope.level && r.index < scope.define_index))) continue;
          } else if (r.level > scope.level) {
            continue;
          }
          break;
        case Ref::Origin::Output:
        case Ref::Origin::SetOutput:
          if (r.level >= scope.level) continue;
          break;
      }
      out.push_back(&r);
    }
    return out;
  }

  std::vector<const Ref*> values_of(const Scope& scope, Kind kind, std::size_t enum_id) const {
    return readable(scope, [&](const Ref& r) {
      return r.origin != Ref::Origin::SetOutput && r.kind == kind && (kind != Kind::Enum || r.enum_id == enum_id);
    });
  }

  Ex paren(const Ex& e) { return {"(" + e.text + ")", 2, true}; }

  // A condition that can stand as a comparison's operand.
  Ex bool_primary(const Scope& scope, std::size_t depth) {
    const auto bools = values_of(scope, Kind::Bool, 0);
    if (!bools.empty() && chance(0.6)) return {one_of(bools)->name, 2, true};
    if (depth == 0 || chance(0.3)) return {chance(0.5) ? kw_true() : kw_false(), 2, true};
    return paren(condition(scope, depth - 1));
  }

  Ex condition(const Scope& scope, std::size_t depth) {
    const std::size_t choice = below(depth == 0 ? 5 : 9);
    switch (choice) {
      case 0:
        return bool_primary(scope, depth);
      case 1:
        return comparison(scope, depth);
      case 2:
        return membership(scope);
      case 3:
        return known(scope, depth);
      case 4:
        return comparison(scope, depth);
      case 5: {
        Ex e = condition(scope, depth - 1);
        if (e.prec < 2) e = paren(e);
        return {kw_not() + " " + e.text, 2};
      }
      case 6:
      case 7: {
        const bool is_and = choice == 6;
        const std::size_t n = 2 + below(2);
        std::string text;
        for (std::size_t i = 0; i < n; ++i) {
          Ex e = condition(scope, depth - 1);
          if (e.prec < (is_and ? 2 : 1)) e = paren(e);
          text += (i == 0 ? "" : " " + (is_and ? kw_and() : kw_or()) + " ") + e.text;
        }
        return {text, is_and ? 1 : 0};
      }
      default:
        return paren(condition(scope, depth - 1));
    }
  }

  std::string compare_op(bool ordered) {
    static const std::vector<std::string> all{"==", "!=", "<", "<=", ">", ">=", "="};
    static const std::vector<std::string> equality{"==", "!=", "="};
    return ordered ? one_of(all) : one_of(equality);
  }

  Ex comparison(const Scope& scope, std::size_t depth) {
    // The types some readable value has: a comparison needs one name to read its literals against.
    std::vector<const Ref*> typed =
        readable(scope, [](const Ref& r) { return r.origin != Ref::Origin::SetOutput && r.kind != Kind::Bool; });
    if (typed.empty() || chance(0.15)) {
      const Ex a = bool_primary(scope, depth);
      const Ex b = bool_primary(scope, depth);
      return {a.text + " " + compare_op(false) + " " + b.text, 2};
    }
    const Ref& anchor = *one_of(typed);
    const bool ordered = anchor.kind == Kind::Integer || anchor.kind == Kind::Date || anchor.kind == Kind::Article;
    const std::size_t n = ordered ? 2 + below(2) : 2;
    const std::size_t at = below(n);
    const auto same = values_of(scope, anchor.kind, anchor.enum_id);
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) text += " " + compare_op(ordered) + " ";
      if (i == at) {
        text += anchor.name;
      } else if (chance(0.3)) {
        text += one_of(same)->name;
      } else {
        text += anchor.kind == Kind::Article ? article_literal() : literal_of(anchor.kind, anchor.enum_id);
      }
    }
    return {text, 2};
  }

  Ex membership(const Scope& scope) {
    const std::vector<const Ref*> candidates =
        readable(scope, [](const Ref& r) { return r.origin != Ref::Origin::SetOutput && r.kind != Kind::Bool; });
    if (candidates.empty()) return {chance(0.5) ? kw_true() : kw_false(), 2, true};
    const Ref& x = *one_of(candidates);
    std::string set;
    std::vector<std::string> named;
    for (const NamedSet& s : sets_) {
      const bool fits = (s.elem == x.kind && !s.ints_as_articles && (x.kind != Kind::Enum || s.enum_id == x.enum_id)) ||
                        (x.kind == Kind::Article && s.ints_as_articles) ||
                        (x.kind == Kind::Integer && s.elem == Kind::Integer && !s.ints_as_articles);
      if (fits) named.push_back(s.name);
    }
    if (x.kind == Kind::Enum) {
      for (const Ref* o : readable(scope, [](const Ref& r) { return r.origin == Ref::Origin::SetOutput; })) {
        if (o->enum_id == x.enum_id) named.push_back(o->name);
      }
    }
    if (!named.empty() && chance(0.5)) {
      set = one_of(named);
    } else {
      set = set_items(x.kind, x.enum_id);
    }
    const std::string op = chance(0.3) ? w("not in", "pas dans") : w("in", "dans");
    return {x.name + " " + op + " " + set, 2};
  }

  Ex known(const Scope& scope, std::size_t depth) {
    const auto all = readable(scope, [](const Ref&) { return true; });
    std::string subject;
    if (!all.empty() && chance(0.8)) {
      subject = one_of(all)->name;
    } else {
      subject = bool_primary(scope, depth).text;
    }
    const std::string op = chance(0.5) ? w("is known", "est connu") : w("is unknown", "est inconnu");
    return {subject + " " + op, 2};
  }

  // --- rules ---------------------------------------------------------------------------------------

  void make_rules() {
    const std::size_t n = 1 + below(limits_.max_rules);
    std::vector<int> level(n);
    std::vector<std::vector<std::size_t>> writes(n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t first = below(outputs_.size());
      level[r] = outputs_[first].level;
      writes[r].push_back(first);
      for (std::size_t o = 0; o < outputs_.size(); ++o) {
        if (o != first && outputs_[o].level == level[r] && chance(0.3)) writes[r].push_back(o);
      }
    }
    for (std::size_t r = 0; r < n; ++r) {
      file_ = pick_file();
      Scope scope{level[r], false, 0};
      std::vector<std::string> clauses;
      if (chance(0.3)) clauses.push_back("cite " + quote(fmt::format("art. {} C. pén.", 400 + r)));
      if (has_case_date_ && chance(0.25)) clauses.push_back(validity());
      // Precedence must be acyclic and must not make an output wait for a rule that reads it: a rule
      // overrides only rules of a higher level, or of its level and written before it.
      std::vector<std::string> overridden;
      for (std::size_t s = 0; s < n; ++s) {
        if (s == r) continue;
        const bool allowed = level[r] < level[s] || (level[r] == level[s] && s < r);
        if (allowed && chance(limits_.overrides_chance)) overridden.push_back(fmt::format("r{}", s));
      }
      if (!overridden.empty()) {
        std::string clause = w("overrides", "prime sur");
        for (std::size_t i = 0; i < overridden.size(); ++i) clause += (i == 0 ? " " : ", ") + overridden[i];
        clauses.push_back(std::move(clause));
      }
      if (chance(0.9)) clauses.push_back(w("when", "quand") + " " + condition(scope, limits_.max_depth).text);
      // Provisos read what the condition may read; the checker orders the rule after what they read.
      const std::size_t provisos = chance(0.3) ? 1 + below(limits_.max_provisos) : 0;
      for (std::size_t k = 0; k < provisos; ++k) clauses.push_back(proviso(scope));
      clauses.push_back(w("then", "alors") + " " + effects(writes[r]));
      if (chance(0.3)) clauses.push_back(w("because", "parce que") + " " + quote("Parce que."));
      if (chance(0.1)) clauses.push_back("note " + quote("Une note."));
      std::shuffle(clauses.begin(), clauses.end(), rng_);
      std::string text = fmt::format("{} r{}", w("rule", "règle", "regle"), r);
      if (chance(0.5)) text += " " + quote(fmt::format("Règle {}", r));
      for (const std::string& c : clauses) text += "\n  " + c;
      emit(std::move(text));
    }
  }

  std::string proviso(const Scope& scope) {
    static const std::vector<std::string> texts{"vous ne communiquez que le strict nécessaire",
                                                "la personne en a été informée", ""};
    std::string text =
        w("provided", "pourvu que") + " " + condition(scope, limits_.max_depth > 0 ? limits_.max_depth - 1 : 0).text;
    const std::string& said = one_of(texts);
    if (!said.empty() || chance(0.3)) text += " " + quote(said);
    return text;
  }

  // Warnings decide nothing: they read what any rule may (every output is resolved before them, since
  // nothing waits for a warning), and nothing overrides them.
  void make_warnings() {
    const std::size_t n = chance(0.4) ? 1 + below(limits_.max_warnings) : 0;
    for (std::size_t k = 0; k < n; ++k) {
      file_ = pick_file();
      const Scope scope{levels_, false, 0};
      std::vector<std::string> clauses;
      if (chance(0.4)) clauses.push_back("cite " + quote("loi du 21 mars 2022"));
      if (has_case_date_ && chance(0.4)) clauses.push_back(validity());
      if (chance(0.9)) clauses.push_back(w("when", "quand") + " " + condition(scope, limits_.max_depth).text);
      if (chance(0.5)) clauses.push_back(w("because", "parce que") + " " + quote("La loi a changé."));
      if (chance(0.2)) clauses.push_back("note " + quote("Une note."));
      std::shuffle(clauses.begin(), clauses.end(), rng_);
      std::string text = fmt::format("{} w{}", w("warning", "avertissement"), k);
      if (chance(0.5)) text += " " + quote(fmt::format("Avertissement {}", k));
      for (const std::string& c : clauses) text += "\n  " + c;
      emit(std::move(text));
    }
  }

  std::string validity() {
    std::vector<std::string> dates{"2015-01-01", "2017-05-17", "2017-07-06", "2019-03-14", "2020-02-29", "2024-05-01"};
    const std::size_t a = below(dates.size() - 1);
    const std::size_t b = a + 1 + below(dates.size() - a - 1);
    switch (below(3)) {
      case 0:
        return fmt::format("{} {} {} {}{}", w("valid from", "valable du"), dates[a], w("until", "au"), dates[b],
                           chance(0.5) ? " " + quote("annulée") : "");
      case 1:
        return fmt::format("{} {}", w("valid from", "valable à partir du", "valable a partir du"), dates[a]);
      default:
        return fmt::format("{} {}", w("valid until", "valable jusqu'au"), dates[b]);
    }
  }

  std::string effects(const std::vector<std::size_t>& outputs) {
    std::vector<std::string> parts;
    for (const std::size_t o : outputs) {
      const Ref& out = outputs_[o];
      if (out.origin == Ref::Origin::Output) {
        parts.push_back(fmt::format("{} = {}", out.name, member_of(out.enum_id)));
        continue;
      }
      // A set output may be added to twice in one rule: the additions merge.
      const std::size_t times = chance(0.15) ? 2 : 1;
      for (std::size_t t = 0; t < times; ++t) {
        if (chance(0.4)) {
          parts.push_back(fmt::format("{} += {}", out.name, member_of(out.enum_id)));
        } else {
          parts.push_back(fmt::format("{} += {}", out.name, set_items(Kind::Enum, out.enum_id)));
        }
      }
    }
    std::shuffle(parts.begin(), parts.end(), rng_);
    std::string text;
    for (std::size_t i = 0; i < parts.size(); ++i) text += (i == 0 ? "" : ", ") + parts[i];
    return text;
  }

  std::mt19937_64& rng_;
  GeneratorLimits limits_;
  GeneratedRulebase out_;
  std::size_t file_ = 0;
  int levels_ = 1;
  bool has_case_date_ = false;
  std::size_t inline_count_ = 0;
  std::vector<EnumSpec> enums_;
  std::vector<Ref> refs_;
  std::vector<Ref> outputs_;
  std::vector<NamedSet> sets_;
  std::set<std::int64_t> ints_;
};

// --- cases -------------------------------------------------------------------------------------------

class CaseWriter {
 public:
  CaseWriter(const Program& p, std::mt19937_64& rng, const CaseShape& shape) : p_(p), rng_(rng), shape_(shape) {
    for (std::size_t i = 0; i < p.constants.size(); ++i) {
      const Type t = p.constant_types[i];
      const std::int64_t v = p.constants[i].payload;
      if (t.kind == TypeKind::Integer) ints_.insert(ints_.end(), {v - 1, v, v + 1});
      if (t.kind == TypeKind::Date) dates_.insert(dates_.end(), {v - 1, v, v + 1});
      if (t.kind == TypeKind::Article) articles_.push_back(v);
    }
    for (const RuleInfo& r : p.rules) {
      for (const auto& bound : {r.valid_from, r.valid_until}) {
        if (bound) dates_.insert(dates_.end(), {*bound - 1, *bound, *bound + 1});
      }
    }
  }

  std::vector<std::string> run() {
    std::vector<std::string> lines;
    if (chance(0.1)) lines.emplace_back("# un cas généré");
    for (const FactInfo& f : p_.facts) {
      const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
      if (r < shape_.omitted) continue;
      if (r < shape_.omitted + shape_.unknown) {
        lines.push_back(fmt::format("{} = {}", f.name, chance(0.5) ? "?" : "inconnu"));
        continue;
      }
      lines.push_back(fmt::format("{} = {}", f.name, value(f.type)));
    }
    std::shuffle(lines.begin(), lines.end(), rng_);
    return lines;
  }

 private:
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

  std::string value(Type t) {
    switch (t.kind) {
      case TypeKind::Bool: {
        static const std::vector<std::string> words{"oui", "non", "vrai", "faux", "true", "false"};
        return words[below(words.size())];
      }
      case TypeKind::Integer: {
        const std::int64_t v =
            !ints_.empty() && chance(0.8) ? ints_[below(ints_.size())] : static_cast<std::int64_t>(below(60)) - 10;
        return fmt::format("{}", v);
      }
      case TypeKind::Date: {
        const std::int64_t v = !dates_.empty() && chance(0.8)
                                   ? dates_[below(dates_.size())]
                                   : days_from_civil(2010 + static_cast<int>(below(20)), 1, 1);
        return format_date(v);
      }
      case TypeKind::Article: {
        static const std::vector<std::string> common{"371/1", "372", "377", "377bis", "398", "405ter", "458"};
        const std::string a = !articles_.empty() && chance(0.7) ? format_article(articles_[below(articles_.size())])
                                                                : common[below(common.size())];
        // A case may write an article quoted, or bare (`377bis`, `398`).
        return chance(0.5) ? quote(a) : a;
      }
      case TypeKind::String: {
        if (!p_.strings.empty() && chance(0.8)) return quote(p_.strings[below(p_.strings.size())]);
        return quote("autre chose");
      }
      case TypeKind::Enum: {
        const auto& members = p_.enums[t.enum_id].members;
        return members[below(members.size())];
      }
      case TypeKind::Set:
        break;
    }
    return "?";
  }

  const Program& p_;
  std::mt19937_64& rng_;
  CaseShape shape_;
  std::vector<std::int64_t> ints_, dates_, articles_;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> GeneratedRulebase::files() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t f = 0; f < english.size(); ++f) {
    std::string text = fmt::format("# generated file {} ({})\n", f, english[f] ? "English" : "French");
    for (const Declaration& d : declarations) {
      if (d.file == f) text += d.text + "\n\n";
    }
    out.emplace_back(fmt::format("gen{}.rules", f), std::move(text));
  }
  return out;
}

GeneratedRulebase generate_rulebase(std::mt19937_64& rng, const GeneratorLimits& limits) {
  return Generator(rng, limits).run();
}

std::vector<std::string> generate_case(const Program& program, std::mt19937_64& rng, const CaseShape& shape) {
  return CaseWriter(program, rng, shape).run();
}

}  // namespace secretc::differential
