#include "bench/big_rulebase.hpp"

#include <random>

#include <fmt/format.h>

namespace secretc::bench {

namespace {

constexpr std::size_t kMembers = 8;

struct Fact {
  std::string name;
  int kind = 0;  // 0 bool, 1 enum, 2 integer, 3 date, 4 article
  std::size_t enum_id = 0;
};

}  // namespace

BigRulebase make_big_rulebase(std::size_t rules, std::size_t terms, std::size_t max_file_bytes) {
  std::mt19937_64 rng(rules);
  const auto below = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const std::size_t enums = std::max<std::size_t>(2, rules / 50);
  const std::size_t facts = std::max<std::size_t>(4, terms > 0 ? rules - 1 : rules / 2);  // and `cas.date`
  const std::size_t defines = std::max<std::size_t>(2, terms > 0 ? rules : rules / 4);
  const std::size_t outputs = std::max<std::size_t>(2, rules / 50);

  std::vector<std::string> decls;
  decls.push_back(R"(base "Grande base" version "1")");
  decls.push_back("fait cas.date : date = aujourd'hui");
  for (std::size_t e = 0; e < enums; ++e) {
    std::string d = fmt::format("énumération e{} {{", e);
    for (std::size_t m = 0; m < kMembers; ++m)
      d += fmt::format("{} e{}_m{} \"Libellé {} de e{}\"", m == 0 ? "" : ",", e, m, m, e);
    decls.push_back(d + " }");
  }
  std::vector<Fact> fs;
  for (std::size_t f = 0; f < facts; ++f) {
    static const int kinds[] = {0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 4};
    Fact fact{fmt::format("groupe{}.fait{}", f % 97, f), kinds[below(std::size(kinds))], below(enums)};
    static const char* types[] = {"booléen", "", "entier", "date", "article"};
    const std::string type = fact.kind == 1 ? fmt::format("e{}", fact.enum_id) : types[fact.kind];
    decls.push_back(fmt::format("fait {} : {} \"Question sur le fait {} ?\"", fact.name, type, f));
    fs.push_back(std::move(fact));
  }
  // A condition over facts and earlier definitions: `terms` comparisons joined by et/ou.
  const auto condition = [&](std::size_t count, std::size_t defines_before) {
    std::string out;
    for (std::size_t t = 0; t < count; ++t) {
      if (t > 0) out += std::string(t % 10 == 0 ? "\n   " : "") + (below(3) == 0 ? " ou " : " et ");
      if (defines_before > 0 && below(4) == 0) {
        out += fmt::format("d{}", below(defines_before));
        continue;
      }
      const Fact& f = fs[below(fs.size())];
      switch (f.kind) {
        case 0:
          out += below(2) == 0 ? f.name : "non " + f.name;
          break;
        case 1:
          out += fmt::format("{} dans {{ e{}_m{}, e{}_m{} }}", f.name, f.enum_id, below(kMembers), f.enum_id,
                             below(kMembers));
          break;
        case 2:
          out += fmt::format("{} >= {}", f.name, below(100));
          break;
        case 3:
          out += fmt::format("{} < 20{:02}-01-01", f.name, 10 + below(20));
          break;
        default:
          out += fmt::format("{} dans {{ 371/1 .. 377, 392 .. 405ter }}", f.name);
          break;
      }
    }
    return out;
  };
  for (std::size_t d = 0; d < defines; ++d) decls.push_back(fmt::format("définition d{} = {}", d, condition(3, d)));
  for (std::size_t o = 0; o < outputs; ++o) {
    decls.push_back(fmt::format("sortie o{} : e{} = e{}_m0", o, o % enums, o % enums));
    decls.push_back(fmt::format("sortie s{} : ensemble de e{}", o, o % enums));
  }
  std::vector<std::size_t> output_of(rules);
  for (std::size_t r = 0; r < rules; ++r) {
    std::string d = fmt::format("règle r{} \"Règle numéro {}\"\n  cite \"art. {} C. pén.\"\n", r, r, 400 + r % 100);
    // Every fifth rule is an exception to the rule before it, and sets the same output.
    const bool exception = r % 5 == 4;
    const std::size_t out = exception ? output_of[r - 1] : below(outputs);
    output_of[r] = out;
    if (exception) d += fmt::format("  prime sur r{}\n", r - 1);
    if (r % 50 == 7) d += "  valable du 2017-05-17 au 2019-03-14 \"annulée\"\n";
    d += fmt::format("  quand {}\n", condition(terms > 0 ? terms : 2 + below(5), defines));
    d += fmt::format("  alors o{} = e{}_m{}, s{} += {{ e{}_m{}, e{}_m{} }}\n", out, out % enums, below(kMembers), out,
                     out % enums, below(kMembers), out % enums, below(kMembers));
    d += "  parce que \"Une explication de la règle, comme la loi la donne, sur une ligne ou deux.\"";
    decls.push_back(std::move(d));
  }

  BigRulebase out;
  std::string file;
  for (const std::string& d : decls) {
    if (!file.empty() && file.size() + d.size() + 2 > max_file_bytes) {
      out.files.emplace_back(fmt::format("big_{:03}.rules", out.files.size()), std::move(file));
      file.clear();
    }
    file += d + "\n\n";
  }
  if (!file.empty()) out.files.emplace_back(fmt::format("big_{:03}.rules", out.files.size()), std::move(file));

  out.case_text = "# un grand cas\ncas.date = 2024-05-01\n";
  for (const Fact& f : fs) {
    if (below(10) == 0) continue;  // unknown: a few questions stay open
    switch (f.kind) {
      case 0:
        out.case_text += fmt::format("{} = {}\n", f.name, below(2) == 0 ? "oui" : "non");
        break;
      case 1:
        out.case_text += fmt::format("{} = e{}_m{}\n", f.name, f.enum_id, below(kMembers));
        break;
      case 2:
        out.case_text += fmt::format("{} = {}\n", f.name, below(100));
        break;
      case 3:
        out.case_text += fmt::format("{} = 20{:02}-06-15\n", f.name, 10 + below(20));
        break;
      default:
        out.case_text += fmt::format("{} = \"{}\"\n", f.name, 370 + below(40));
        break;
    }
  }
  return out;
}

}  // namespace secretc::bench
