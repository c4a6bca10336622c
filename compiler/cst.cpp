#include "compiler/cst.hpp"

#include <stdexcept>

namespace secretc::cst {

const Node* Node::find(Kind k) const {
  for (const Node& n : kids) {
    if (n.kind == k) return &n;
  }
  return nullptr;
}

const Node& Node::get(Kind k) const {
  const Node* n = find(k);
  if (n == nullptr) throw std::logic_error("the syntax tree lacks a part the grammar requires");
  return *n;
}

std::vector<const Node*> Node::all(Kind k) const {
  std::vector<const Node*> out;
  for (const Node& n : kids) {
    if (n.kind == k) out.push_back(&n);
  }
  return out;
}

const Node* Node::keyword(Kw id) const {
  for (const Node& n : kids) {
    if (n.is_keyword(id)) return &n;
  }
  return nullptr;
}

std::size_t Node::first_token() const {
  if (token != kNone) return token;
  for (const Node& n : kids) {
    const std::size_t t = n.first_token();
    if (t != kNone) return t;
  }
  return kNone;
}

namespace {
void collect(const Node& n, std::vector<std::size_t>& out) {
  if (n.token != kNone) {
    out.push_back(n.token);
    return;
  }
  for (const Node& k : n.kids) collect(k, out);
}
}  // namespace

std::vector<std::size_t> Node::tokens() const {
  std::vector<std::size_t> out;
  collect(*this, out);
  return out;
}

}  // namespace secretc::cst
