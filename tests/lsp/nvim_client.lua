-- Neovim's own LSP client (Debian's neovim, headless) against `secretc lsp`: it opens a rule file with a
-- mistake, and the diagnostic the server publishes must reach the buffer at the mistake's line; hover
-- must answer too. Run by tests/lsp/nvim_test.sh; what it saw is written to RESULT_FILE, one line each.
local secretc = os.getenv("SECRETC")
local file = os.getenv("RULES_FILE")
local result = os.getenv("RESULT_FILE")
local lines = {}

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
-- vim.lsp.start_client and buf_attach_client: the API of Neovim 0.7 (Debian 12), still there in later ones.
local client = vim.lsp.start_client({
  name = "secretc",
  cmd = { secretc, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
if not client then
  table.insert(lines, "no client")
else
  vim.lsp.buf_attach_client(buf, client)
  vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local message = d.message:gsub("\n", " | ")
    table.insert(lines, string.format("diagnostic %d:%d %s", d.lnum + 1, d.col + 1, message))
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 0, character = 8 } }
  local answers = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000) or {}
  for _, answer in pairs(answers) do
    if answer.result and answer.result.contents then
      local value = answer.result.contents.value or ""
      table.insert(lines, "hover " .. value:gsub("\n", " | "))
    end
  end
  vim.lsp.stop_client(client)
end
vim.fn.writefile(lines, result)
vim.cmd("qa!")
