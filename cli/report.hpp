// Rendering a result for people (French or English chrome around the rulebase's own words) and for
// programs (the JSON object of docs/case-files.md §3).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/case.hpp"
#include "runtime/explain.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"

namespace secretc {

enum class ReportLang { French, English };

struct CaseReport {
  std::string case_path;
  const Program* program = nullptr;
  const BoundCase* bound = nullptr;
  const Result* result = nullptr;
  const std::vector<Dependence>* dependences = nullptr;  // conditional answers; may be null
};

std::string render_text(const CaseReport& report, ReportLang lang);
nlohmann::ordered_json render_json(const CaseReport& report);

}  // namespace secretc
