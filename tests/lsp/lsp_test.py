#!/usr/bin/env python3
"""`secretc lsp` driven by a scripted client, as an editor drives it: a rule folder of two files (the
vocabulary in one, the rules in the other), a mistake typed and corrected, hover, definition, references,
completion, outline, formatting, the tests of the folder; then malformed messages, each answered by its
JSON-RPC error without stopping the server; then a framing the server cannot read, and shutdown/exit.

usage: lsp_test.py SECRETC"""
import json
import os
import random
import subprocess
import sys
import tempfile
import urllib.parse

VOCAB = """base "Essai" version "1"

énumération fonction { medecin "Médecin", assistant_social "Assistant social", autre }

fait cas.date : date = aujourd'hui "Quand ?"
fait confident.fonction : fonction "Quelle est votre fonction ?"
  aide "La profession exercée"
fait victime.mineur : booléen = faux "La victime est-elle mineure ?"

sortie verdict : énumération { garder "Garder le secret", peut "Peut révéler" } = garder
"""

RULES = """règle tenu "Tenu au secret"
  cite "art. 458 C. pén."
  quand confident.fonction == medecin
  alors verdict = garder
  parce que "Le médecin est tenu au secret."

règle exception "Exception"
  cite "art. 458bis C. pén."
  prime sur tenu
  quand confident.fonction == medecin et victime.mineur
  alors verdict = peut
  parce que "Mineur en danger."

test "mineur" {
  soit confident.fonction = medecin
  soit victime.mineur = vrai
  attendu verdict = garder
}
"""

failures = 0


def expect(condition, what):
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}", file=sys.stderr)


class Client:
    def __init__(self, secretc):
        self.proc = subprocess.Popen([secretc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.next_id = 1
        self.notifications = []

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})
        return self.response(rid)

    def response(self, rid):
        while True:
            m = self.read()
            if m.get("id") == rid and "method" not in m:
                return m
            self.notifications.append(m)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, uri):
        """The last diagnostics published for uri, reading until some arrive (after a notification)."""
        # A request after the notification: its response comes after the diagnostics it caused.
        self.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        found = [n["params"]["diagnostics"] for n in self.notifications
                 if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri]
        self.notifications.clear()
        return found[-1] if found else None


def uri(path):
    return "file://" + urllib.parse.quote(path)


def main():
    secretc = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "base de règles")  # a space and an accent in the URI
        os.mkdir(folder)
        vocab, rules = os.path.join(folder, "00_vocabulaire.rules"), os.path.join(folder, "10_regles.rules")
        with open(vocab, "w", encoding="utf-8") as f:
            f.write(VOCAB)
        with open(rules, "w", encoding="utf-8") as f:
            f.write(RULES)
        c = Client(secretc)

        # Before `initialize`, a request is refused.
        r = c.request("textDocument/hover", {})
        expect(r.get("error", {}).get("code") == -32002, f"a request before initialize: {r}")
        init = c.request("initialize", {"processId": None, "rootUri": uri(folder), "capabilities": {}})
        caps = init["result"]["capabilities"]
        for cap in ("hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider",
                    "documentFormattingProvider", "completionProvider"):
            expect(cap in caps, f"capability {cap}")
        c.notify("initialized", {})

        # The rules file opened: it compiles with its folder's vocabulary — no diagnostic.
        ru = uri(rules)
        c.notify("textDocument/didOpen", {"textDocument": {"uri": ru, "languageId": "secretc", "version": 1,
                                                           "text": RULES}})
        d = c.diagnostics_for(ru)
        expect(d == [], f"the rules file with its folder's vocabulary has no diagnostic: {d}")

        # A mistake typed (an unknown member): the diagnostic at its line and column, in French.
        broken = RULES.replace("== medecin\n", "== medcin\n", 1)
        c.notify("textDocument/didChange", {"textDocument": {"uri": ru, "version": 2},
                                            "contentChanges": [{"text": broken}]})
        d = c.diagnostics_for(ru)
        expect(d is not None and len(d) >= 1, f"the mistake is reported: {d}")
        if d:
            first = d[0]
            expect(first["range"]["start"]["line"] == 2, f"on line 3 (0-based 2): {first}")
            col = RULES.splitlines()[2].index("medecin")
            expect(first["range"]["start"]["character"] == col, f"at the member's column {col}: {first}")
            expect(first["severity"] == 1, f"an error: {first}")
            expect("medcin" in first["message"] and "medecin" in first["message"],
                   f"the message names the word and the member meant: {first['message']}")
        # Corrected: the diagnostics are cleared.
        c.notify("textDocument/didChange", {"textDocument": {"uri": ru, "version": 3},
                                            "contentChanges": [{"text": RULES}]})
        expect(c.diagnostics_for(ru) == [], "corrected, no diagnostic is left")

        lines = RULES.splitlines()

        def at(line, word, offset=1):
            return {"textDocument": {"uri": ru}, "position": {"line": line, "character": lines[line].index(word) + offset}}

        # Hover on a fact declared in the other file: its type, members and question.
        h = c.request("textDocument/hover", at(2, "confident.fonction", 3))["result"]
        text = h["contents"]["value"] if h else ""
        expect("confident.fonction" in text and "Quelle est votre fonction ?" in text and "medecin" in text,
               f"hover on a fact: {text}")
        h = c.request("textDocument/hover", at(8, "tenu"))["result"]
        text = h["contents"]["value"] if h else ""
        expect("Tenu au secret" in text and "art. 458 C. pén." in text, f"hover on a rule: {text}")
        h = c.request("textDocument/hover", at(2, "medecin"))["result"]
        text = h["contents"]["value"] if h else ""
        expect("Médecin" in text, f"hover on a member gives its label: {text}")

        # Definition in the other file; references across the folder.
        loc = c.request("textDocument/definition", at(2, "confident.fonction", 3))["result"]
        expect(loc and loc["uri"] == uri(vocab) and loc["range"]["start"]["line"] == 5,
               f"definition of a fact: {loc}")
        refs = c.request("textDocument/references", dict(at(2, "confident.fonction", 3),
                                                         context={"includeDeclaration": True}))["result"]
        expect(len(refs) == 4 and {r["uri"] for r in refs} == {uri(vocab), ru}, f"references: {refs}")
        # In a string or a comment, a name is no reference.
        expect(all(not (r["uri"] == ru and r["range"]["start"]["line"] in (4, 11)) for r in refs), "strings skipped")

        # Completion: after `==`, the members of the fact's enumeration; after `prime sur`, the rules;
        # elsewhere, the facts.
        pos = {"line": 2, "character": len(lines[2])}
        items = c.request("textDocument/completion", {"textDocument": {"uri": ru}, "position": pos})["result"]["items"]
        expect({"medecin", "assistant_social", "autre"} <= {i["label"] for i in items}, f"members after ==: {items}")
        pos = {"line": 8, "character": len(lines[8])}
        items = c.request("textDocument/completion", {"textDocument": {"uri": ru}, "position": pos})["result"]["items"]
        expect({"tenu", "exception"} <= {i["label"] for i in items}, f"rules after prime sur: {items}")
        pos = {"line": 2, "character": lines[2].index("confident")}
        items = c.request("textDocument/completion", {"textDocument": {"uri": ru}, "position": pos})["result"]["items"]
        expect("victime.mineur" in {i["label"] for i in items}, f"facts elsewhere: {items}")
        keywords = {i["label"] for i in items if i["kind"] == 14}
        expect({"quand", "alors", "prime sur", "parce que", "règle"} <= keywords and not keywords & {"when", "then", "rule"},
               f"the keywords of the file's language (French): {sorted(keywords)}")

        # The outline of the file.
        syms = c.request("textDocument/documentSymbol", {"textDocument": {"uri": ru}})["result"]
        expect([s["name"] for s in syms] == ["tenu", "exception", "mineur"], f"outline: {syms}")

        # Formatting: a badly laid out text comes back as `secretc fmt` writes it.
        messy = RULES.replace("  cite \"art. 458 C. pén.\"\n", "      cite     \"art. 458 C. pén.\"\n", 1)
        c.notify("textDocument/didChange", {"textDocument": {"uri": ru, "version": 4}, "contentChanges": [{"text": messy}]})
        edits = c.request("textDocument/formatting", {"textDocument": {"uri": ru}, "options": {"tabSize": 2, "insertSpaces": True}})["result"]
        expect(len(edits) == 1 and edits[0]["newText"] == RULES, f"formatting gives fmt's layout: {edits}")
        c.notify("textDocument/didChange", {"textDocument": {"uri": ru, "version": 5}, "contentChanges": [{"text": RULES}]})
        edits = c.request("textDocument/formatting", {"textDocument": {"uri": ru}, "options": {}})["result"]
        expect(edits == [], f"a formatted file needs no edit: {edits}")

        # On save: the folder's tests run; the failing test is reported at its line.
        c.notify("textDocument/didSave", {"textDocument": {"uri": ru}})
        d = c.diagnostics_for(ru)
        failing = [x for x in (d or []) if x.get("source") == "secretc test"]
        expect(len(failing) == 1 and failing[0]["range"]["start"]["line"] == 13, f"the failing test on save: {d}")
        r = c.request("workspace/executeCommand", {"command": "secretc.runTests", "arguments": [ru]})["result"]
        expect(r["passed"] == 0 and r["failed"] == 1 and r["failures"][0]["name"] == "mineur", f"runTests: {r}")

        # Malformed messages: each gets its error, and the server goes on.
        c.send_raw(b"Content-Length: 9\r\n\r\n{not json")
        m = c.read()
        expect(m.get("error", {}).get("code") == -32700 and m.get("id") is None, f"not JSON: {m}")
        r = c.request("no/such/method")
        expect(r.get("error", {}).get("code") == -32601, f"unknown method: {r}")
        r = c.request("textDocument/hover", {"position": {"line": 0, "character": 0}})
        expect(r.get("error", {}).get("code") == -32602, f"missing textDocument: {r}")
        r = c.request("textDocument/hover", {"textDocument": {"uri": "http://example.org/x.rules"}, "position": {"line": 0, "character": 0}})
        expect(r.get("error", {}).get("code") == -32602, f"a URI that is no file: {r}")
        r = c.request("textDocument/hover", {"textDocument": {"uri": ru}, "position": {"line": "x", "character": 0}})
        expect(r.get("error", {}).get("code") == -32602, f"a position that is no number: {r}")
        r = c.request("textDocument/hover", {"textDocument": {"uri": ru}, "position": {"line": 999, "character": 999}})
        expect("result" in r and r["result"] is None, f"a position past the end: {r}")

        # shutdown, then exit: exit code 0.
        r = c.request("shutdown")
        expect("result" in r and r["result"] is None, f"shutdown: {r}")
        r = c.request("textDocument/hover", at(2, "medecin"))
        expect(r.get("error", {}).get("code") == -32600, f"a request after shutdown: {r}")
        c.notify("exit", {})
        code = c.proc.wait(timeout=10)
        expect(code == 0, f"exit after shutdown: code {code}")

        # A framing the server cannot read: a message on standard error, exit code 1, no crash.
        for raw, what in ((b"Content-Length: abc\r\n\r\n", "is not a length"), (b"Content-Type: x\r\n\r\n{}", "without `Content-Length`"),
                          (b"Content-Length: 100\r\n\r\n{}", "ended inside a message")):
            p = subprocess.run([secretc, "lsp"], input=raw, capture_output=True, timeout=10)
            expect(p.returncode == 1 and what in p.stderr.decode(), f"{raw!r}: {p.returncode} {p.stderr!r}")
        # Exit without shutdown: exit code 1.
        body = json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()
        p = subprocess.run([secretc, "lsp"], input=b"Content-Length: %d\r\n\r\n" % len(body) + body, capture_output=True, timeout=10)
        expect(p.returncode == 1, f"exit without shutdown: {p.returncode}")

        # Damaged sessions (bytes flipped, cut, repeated in a recorded session): every one ends with exit code
        # 0 or 1, never a signal or a hang (under the sanitize preset, never a memory error either).
        session = b""
        for message in ({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
                        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                         "params": {"textDocument": {"uri": ru, "text": RULES}}},
                        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
                         "params": {"textDocument": {"uri": ru}, "position": {"line": 2, "character": 12}}},
                        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/completion",
                         "params": {"textDocument": {"uri": ru}, "position": {"line": 2, "character": 30}}},
                        {"jsonrpc": "2.0", "id": 4, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}):
            body = json.dumps(message, ensure_ascii=False).encode()
            session += b"Content-Length: %d\r\n\r\n" % len(body) + body
        rng = random.Random(20261202)
        for _ in range(60):
            damaged = bytearray(session)
            for _ in range(rng.randint(1, 8)):
                k = rng.randrange(len(damaged))
                choice = rng.randrange(3)
                if choice == 0:
                    damaged[k] = rng.randrange(256)
                elif choice == 1:
                    del damaged[k:k + rng.randint(1, 40)]
                else:
                    damaged[k:k] = damaged[k:k + rng.randint(1, 40)]
            p = subprocess.run([secretc, "lsp"], input=bytes(damaged), capture_output=True, timeout=30)
            expect(p.returncode in (0, 1), f"a damaged session ends with 0 or 1, not {p.returncode}: {p.stderr[-300:]!r}")

    if failures:
        sys.exit(f"lsp_test: {failures} failures")
    print("lsp_test: every check passed")


if __name__ == "__main__":
    main()
