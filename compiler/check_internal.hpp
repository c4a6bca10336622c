// What the parts of the checker share (check.cpp, check_names.cpp, check_types.cpp, check_order.cpp):
// the Checker, one object per rulebase checked, whose passes fill the Model in the order `run` calls
// them. The order of the passes, not the file a pass lives in, decides the order of the diagnostics.
// Internal to the compiler: check.hpp is the interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/check.hpp"

namespace secretc::check_detail {

using ast::Expr;
using ast::ExprKind;

std::string join(const std::vector<std::string>& items, std::string_view sep);

class Checker {
 public:
  Checker(ast::Rulebase rb, Diagnostics& diags) : diags_(diags) { m_.ast = std::move(rb); }

  Model run();

 private:
  // ----- helpers and limits (check.cpp) ----------------------------------------------------------

  std::string type_name(Type t) const;
  std::optional<std::uint32_t> member_of(std::uint32_t enum_id, std::string_view name) const;

  // `did you mean` costs an edit distance per candidate: once the diagnostics are full (further errors
  // are only counted), it is not worked out, so that a file of thousands of misspelt names stays linear.
  [[nodiscard]] bool hints_wanted() const { return diags_.all().size() < Diagnostics::kMaxKept; }

  // The name of an entry of `table` closest to `name`, or "".
  template <typename Table>
  [[nodiscard]] std::string closest_in(std::string_view name, const Table& table) const {
    if (!hints_wanted()) return {};
    std::vector<std::string> names;
    names.reserve(table.size());
    for (const auto& entry : table) names.push_back(entry.name);
    return closest_name(name, names);
  }

  void unknown_member(Location at, std::uint32_t enum_id, const std::string& name);
  std::vector<std::string> value_names() const;
  bool within_limits();

  // ----- declarations and names (check_names.cpp) ------------------------------------------------

  // What a condition reads, for the dependency order and the missing facts.
  struct Reads {
    std::set<std::uint32_t> facts, defines, outputs;
  };

  void header();
  std::optional<std::uint32_t> add_enum(const std::string& name, Location at, const std::vector<std::string>& members,
                                        const std::vector<Location>& member_at, const std::vector<std::string>& labels,
                                        std::vector<std::vector<std::string>> synonyms,
                                        std::vector<std::string> labels_tr, ast::Lang lang);
  void enums();

  // Resolves a written type; inline enumerations are named after their declaration.
  static TextLang text_lang(ast::Lang lang) {
    return lang == ast::Lang::English ? TextLang::English : TextLang::French;
  }

  std::optional<Type> resolve_type(const ast::TypeRef& t, const std::string& owner, ast::Lang lang = ast::Lang::Unset);
  bool claim_name(const std::string& name, Location at, Msg declared_twice);
  void facts();
  void themes();
  std::uint32_t intern(const std::string& s);
  void outputs();
  void define_names();
  void rules_names();
  std::optional<Type> name_type(Expr& e, Reads& reads);
  bool is_declared(const std::string& n) const;
  void unknown_name(const Expr& e);
  void tests();
  void expectation(ast::Expectation& x);

  // ----- types (check_types.cpp) -----------------------------------------------------------------

  std::optional<Value> constant_value(Expr& e, Type type);
  std::string describe_literal(const Expr& e) const;
  static Type literal_type(const Expr& e);
  bool coerce_article(Expr& e);
  std::optional<Type> type_of(Expr& e, Reads& reads, std::optional<Type> context = std::nullopt);
  std::optional<Type> type_of_inner(Expr& e, Reads& reads, std::optional<Type> context);
  void expect_bool(const Expr& e, const std::optional<Type>& t, const char* where);
  bool is_bare_member_candidate(const Expr& e) const;
  std::optional<Type> type_compare(Expr& e, Reads& reads);
  static bool both_enums(Type a, Type b) { return a.kind == TypeKind::Enum && b.kind == TypeKind::Enum; }
  void type_set_items(std::vector<ast::SetItem>& items, Type elem, Reads& reads);
  std::optional<Type> type_in(Expr& e, Reads& reads);
  bool define_body(std::uint32_t i);
  std::optional<Type> infer_set_type(ast::DefineDecl& d);
  void define_bodies();
  std::set<std::uint32_t> facts_read_by(const Reads& r) const;
  void rule_bodies();
  void warning_clauses(const ast::RuleDecl& r);
  void effects(std::uint32_t rule);

  // ----- precedence and evaluation order (check_order.cpp) ---------------------------------------

  void precedence();
  static std::vector<std::uint32_t> precedence_cycle(std::uint32_t start,
                                                     const std::vector<std::vector<std::uint32_t>>& overridden_by);
  void order();
  std::vector<std::size_t> dependencies(std::size_t node, std::size_t nd, std::size_t nr) const;
  void report_cycle(std::size_t node, const std::vector<std::size_t>& path);

 public:
  std::vector<std::string> string_list_;

 private:
  Diagnostics& diags_;
  Model m_;
  std::map<std::string, std::uint32_t> enum_index_, fact_index_, define_index_, output_index_, rule_index_;
  std::map<std::string, Location> names_;
  std::map<std::string, std::uint32_t> strings_;
  std::vector<std::uint8_t> define_state_;  // 0 unvisited, 1 in progress, 2 done
  std::vector<bool> define_ok_;
  std::vector<std::uint32_t> define_stack_;
  std::vector<Reads> define_deps_;
  std::vector<Reads> rule_reads_;
  std::vector<std::vector<std::uint32_t>> writers_;
  std::vector<std::size_t> define_depth_;                 // 1 + the depth of the definitions it uses
  std::vector<std::vector<std::uint32_t>> define_facts_;  // facts read, through definitions too, ascending
};

}  // namespace secretc::check_detail
