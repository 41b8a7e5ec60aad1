//! The module graph, read from the source: every `crate::`, `super::` and `self::` path in
//! `src/` (in `use` lines and inline; in the binary's `src/cli/`, `collectmaxx::` paths into
//! the library too), resolved to the module it names. The test fails on a
//! cycle between top-level modules, or between the files (and sub-folders) of one folder (a
//! folder's `mod.rs` is a node of its own), unless the cycle is one of [`KNOWN_CYCLES`].
//!
//! Left out, because they are not part of the shape: `#[cfg(test)]` items and the files that
//! only a `#[cfg(test)] mod` declares, and `pub use` re-exports in a `mod.rs` (a folder's
//! public face, not a dependency of its own).
//!
//! `cargo test --lib module_graph -- --nocapture` prints both graphs: the top level and each
//! folder, one line per module with the modules it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The cycles `main` still has, each removed by a later step of the redesign (issue 13,
/// `docs/architecture.md` once it exists). Written as the test prints them: the folder, then
/// the modules of the cycle in name order. The test fails when one of them is gone, so this
/// list only shrinks: delete the line in the commit that breaks the cycle.
const KNOWN_CYCLES: &[&str] = &[];

/// A module path, `["results", "read"]` for `src/results/read.rs`.
type ModPath = Vec<String>;

/// Per module, the modules it uses.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// One source file of the crate.
struct SourceFile {
    module: ModPath,
    text: String,
    /// A folder's `mod.rs`: its `pub use` lines are its public face, not edges.
    is_mod_file: bool,
}

#[test]
fn module_graph_cycles_are_only_the_known_ones() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let graphs = folder_graphs(&read_tree(root));
    print!("{}", render(&graphs));
    let problems = verdict(&found_cycles(&graphs), KNOWN_CYCLES);
    assert!(
        problems.is_empty(),
        "the module graph changed its cycles:\n  {}\n(run `cargo test --lib module_graph -- \
         --nocapture` to see the graphs; a cycle that is gone: delete it from KNOWN_CYCLES)",
        problems.join("\n  ")
    );
}

#[test]
fn cycle_finder_finds_the_cycles_of_a_small_graph() {
    let mut g = Graph::new();
    for (a, b) in [
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("c", "d"),
        ("d", "e"),
        ("x", "y"),
        ("y", "x"),
    ] {
        g.entry(a.to_string()).or_default().insert(b.to_string());
    }
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"], vec!["x", "y"]]);
    g.get_mut("y").unwrap().clear();
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
}

#[test]
fn verdict_refuses_new_cycles_and_listed_cycles_that_are_gone() {
    let found = vec![
        "crate: a <-> b".to_string(),
        "crate::f: c <-> d".to_string(),
    ];
    assert!(verdict(&found, &["crate: a <-> b", "crate::f: c <-> d"]).is_empty());
    let new = verdict(&found, &["crate: a <-> b"]);
    assert_eq!(new.len(), 1);
    assert!(new[0].contains("crate::f: c <-> d"), "{new:?}");
    let gone = verdict(
        &found,
        &["crate: a <-> b", "crate::f: c <-> d", "crate: e <-> f"],
    );
    assert_eq!(gone.len(), 1);
    assert!(gone[0].contains("crate: e <-> f"), "{gone:?}");
}

#[test]
fn graph_reads_inline_paths_and_leaves_out_tests_and_re_exports() {
    let file = |module: &[&str], is_mod_file: bool, text: &str| SourceFile {
        module: module.iter().map(|s| s.to_string()).collect(),
        text: text.to_string(),
        is_mod_file,
    };
    let files = vec![
        file(&[], false, "mod a; mod b; mod f;"),
        // An inline path, and a string and a comment that only look like paths.
        file(
            &["a"],
            false,
            "fn x() { crate::b::y(); let s = \"crate::f::z\"; } // crate::f",
        ),
        // A `use` group (each member an edge); the test module's import is not an edge.
        file(
            &["b"],
            false,
            "use crate::{f::{g::{self, h}, i}, a};\n#[cfg(test)]\nmod tests { use crate::a; }",
        ),
        // A mod.rs: its re-export is not an edge, its call into a child is.
        file(
            &["f"],
            true,
            "mod g; mod h; mod i; pub use g::G; fn run() { h::go() }",
        ),
        // Groups after a path: each member starts from the path before its brace.
        file(
            &["f", "i"],
            false,
            "use super::g::{self, G}; use super::{h::go, g};",
        ),
        file(&["f", "g"], false, "pub struct G;"),
        file(&["f", "h"], false, "use super::super::a; pub fn go() {}"),
    ];
    let graphs = folder_graphs(&files);
    let top: Vec<(String, Vec<String>)> = graphs[&ModPath::new()]
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
        .collect();
    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        top,
        vec![
            ("a".to_string(), strs(&["b"])),
            ("b".to_string(), strs(&["a", "f"])),
            ("f".to_string(), strs(&["a"])),
        ]
    );
    assert_eq!(
        found_cycles(&graphs),
        vec!["crate: a <-> b <-> f".to_string()]
    );
    let f = &graphs[&vec!["f".to_string()]];
    let f: Vec<(&str, Vec<&str>)> = f
        .iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(f, vec![("(mod.rs)", vec!["h"]), ("i", vec!["g", "h"])]);
}

#[test]
fn test_only_files_are_found_from_their_declarations() {
    let text = "mod real;\n#[cfg(test)]\nmod tests;\n#[cfg(test)]\n#[path = \"x_tests.rs\"]\n\
                mod tests2;\n#[cfg(test)]\nmod inline {}\n";
    let dir = Path::new("src/rules");
    let mut got = test_only_files(text, &dir.join("amount.rs"));
    got.sort();
    assert_eq!(
        got,
        vec![
            dir.join("amount/tests"),
            dir.join("amount/tests.rs"),
            dir.join("x_tests.rs"),
        ]
    );
    assert_eq!(
        test_only_files("#[cfg(test)]\nmod tests;\n", &dir.join("mod.rs")),
        vec![dir.join("tests.rs"), dir.join("tests")]
    );
}

/// Every `.rs` file under `root` with its module path, without the files that only a
/// `#[cfg(test)] mod` declares.
fn read_tree(root: &Path) -> Vec<SourceFile> {
    let mut found: Vec<(PathBuf, String)> = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
    }
    found.sort();
    let test_only: Vec<PathBuf> = found
        .iter()
        .flat_map(|(path, text)| test_only_files(text, path))
        .collect();
    found
        .into_iter()
        .filter(|(path, _)| !test_only.iter().any(|t| path.starts_with(t)))
        .map(|(path, text)| {
            let rel = path.strip_prefix(root).unwrap();
            let mut module: ModPath = rel
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            let is_mod_file = path.file_name().is_some_and(|n| n == "mod.rs");
            SourceFile {
                module,
                text,
                is_mod_file,
            }
        })
        .collect()
}

/// The files (and folders) of the modules that `file` declares as `#[cfg(test)] mod name;`,
/// read line by line: the attribute, any further attributes (a `#[path = "..."]` is
/// followed), then the declaration.
fn test_only_files(text: &str, file: &Path) -> Vec<PathBuf> {
    let here = file.parent().unwrap_or(Path::new(""));
    let stem = file.file_stem().map(|s| s.to_string_lossy().to_string());
    // A `mod.rs` (or crate root) declares children beside it; `name.rs` in `name/`.
    let children = match stem.as_deref() {
        Some("mod" | "lib" | "main") | None => here.to_path_buf(),
        Some(stem) => here.join(stem),
    };
    let mut out = Vec::new();
    let mut in_test_attrs = false;
    let mut path_attr: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if line == "#[cfg(test)]" {
            in_test_attrs = true;
            path_attr = None;
        } else if in_test_attrs && line.starts_with("#[") {
            if let Some(rest) = line.strip_prefix("#[path") {
                path_attr = rest.split('"').nth(1).map(str::to_string);
            }
        } else if in_test_attrs {
            in_test_attrs = false;
            let decl = line.strip_prefix("pub(crate) ").unwrap_or(line);
            let Some(name) = decl.strip_prefix("mod ").and_then(|d| d.strip_suffix(';')) else {
                continue;
            };
            match path_attr.take() {
                Some(p) => out.push(here.join(p)),
                None => {
                    out.push(children.join(format!("{name}.rs")));
                    out.push(children.join(name));
                }
            }
        }
    }
    out
}

/// Per folder (the crate root is the empty folder), the edges between its children.
fn folder_graphs(files: &[SourceFile]) -> BTreeMap<ModPath, Graph> {
    let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    let mut graphs: BTreeMap<ModPath, Graph> = BTreeMap::new();
    for f in files {
        let from = &f.module;
        let code = code_only(&f.text);
        let children = declared_modules(&code);
        for p in paths(&code, &children, f.is_mod_file) {
            let Some(to) = resolve(from, &p, &modules) else {
                continue;
            };
            // Every folder that holds both ends in different children gets the edge.
            for depth in 0..=from.len().min(to.len()) {
                let folder = &from[..depth];
                if to[..depth] != *folder {
                    break;
                }
                if let (Some(a), Some(b)) = (node(folder, from), node(folder, &to)) {
                    if a != b {
                        graphs
                            .entry(folder.to_vec())
                            .or_default()
                            .entry(a)
                            .or_default()
                            .insert(b);
                    }
                }
            }
        }
    }
    graphs
}

fn folder_name(folder: &ModPath) -> String {
    if folder.is_empty() {
        "crate".to_string()
    } else {
        format!("crate::{}", folder.join("::"))
    }
}

/// Both graphs as text: each folder, then one line per module with the modules it uses.
fn render(graphs: &BTreeMap<ModPath, Graph>) -> String {
    let mut out = String::new();
    for (folder, edges) in graphs {
        out.push_str(&format!("{}:\n", folder_name(folder)));
        for (a, bs) in edges {
            let bs: Vec<&str> = bs.iter().map(String::as_str).collect();
            out.push_str(&format!("  {a} -> {}\n", bs.join(", ")));
        }
    }
    out
}

/// Every cycle, as `folder: a <-> b <-> c` with the modules in name order.
fn found_cycles(graphs: &BTreeMap<ModPath, Graph>) -> Vec<String> {
    graphs
        .iter()
        .flat_map(|(folder, edges)| {
            cycles(edges)
                .into_iter()
                .map(move |c| format!("{}: {}", folder_name(folder), c.join(" <-> ")))
        })
        .collect()
}

/// What is wrong with the cycles found, measured against the known ones: a cycle that is not
/// listed, and a listed cycle that is gone (or changed).
fn verdict(found: &[String], known: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for c in found {
        if !known.contains(&c.as_str()) {
            problems.push(format!("new cycle: {c}"));
        }
    }
    for k in known {
        if !found.iter().any(|c| c == k) {
            problems.push(format!("listed in KNOWN_CYCLES but gone (or changed): {k}"));
        }
    }
    problems
}

/// The source without comments, string and char literals (their text is not code).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                // A raw string r"..." or r#"..."#.
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= b.len() {
                        break;
                    }
                    if b[j] == b'"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&b'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                i = j;
                out.push_str("\"\"");
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            b'\'' => {
                // A char literal ('a', '\n', '\u{..}') or a lifetime ('a).
                let rest = &text[i..];
                let lit = rest
                    .char_indices()
                    .skip(1)
                    .take(12)
                    .find(|&(k, c)| c == '\'' && (k > 2 || !rest[1..k].starts_with('\\') || k > 1))
                    .map(|(k, _)| k);
                match lit {
                    Some(k) if k <= 2 || rest[1..].starts_with('\\') => {
                        i += k + 1;
                        out.push_str("' '");
                    }
                    _ => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            _ => {
                let c = text[i..].chars().next().unwrap();
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Paths starting at `crate::`, `super::` or `self::` (inside a `use` tree too), each as its
/// segments, `{a, b::c}` groups expanded.
fn paths(code: &str, children: &BTreeSet<String>, skip_pub_use: bool) -> Vec<ModPath> {
    let tokens = without_test_modules(tokenize(code));
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_pub_use = false;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        if t == ";" {
            in_pub_use = false;
        }
        if t == "use" && i > 0 && (tokens[i - 1] == "pub" || tokens[i - 1] == ")") {
            in_pub_use = skip_pub_use;
        }
        let at_start = i == 0 || tokens[i - 1] != "::";
        let next_is_path = tokens.get(i + 1).map(String::as_str) == Some("::");
        // The binary's command line (`src/cli/`) reaches the library as `collectmaxx::`: one
        // tree for this graph, rooted at `src/`.
        let starts =
            matches!(t, "crate" | "super" | "self" | "collectmaxx") && next_is_path && at_start;
        // `child::item`: a path into a module this file declares.
        let child = !starts && at_start && next_is_path && children.contains(t);
        if in_pub_use {
            i += 1;
        } else if child {
            let mut prefix = vec!["self".to_string(), t.to_string()];
            i = walk(&tokens, i + 1, &mut prefix, &mut out);
        } else if starts {
            let root = if t == "collectmaxx" { "crate" } else { t };
            let mut prefix = vec![root.to_string()];
            i = walk(&tokens, i + 1, &mut prefix, &mut out);
        } else {
            i += 1;
        }
    }
    out
}

/// Walks `::seg::seg` or `::{...}` from `i` (at a `::`), pushing complete paths.
fn walk(tokens: &[String], mut i: usize, prefix: &mut ModPath, out: &mut Vec<ModPath>) -> usize {
    let depth = prefix.len();
    while tokens.get(i).map(String::as_str) == Some("::") {
        match tokens.get(i + 1).map(String::as_str) {
            Some("{") => {
                // Each member of the group starts from the path before the brace.
                let group = prefix.len();
                i += 2;
                loop {
                    match tokens.get(i).map(String::as_str) {
                        None => break,
                        Some("}") => {
                            i += 1;
                            break;
                        }
                        Some(",") => i += 1,
                        Some(seg) if is_ident(seg) => {
                            prefix.push(seg.to_string());
                            i = walk(tokens, i + 1, prefix, out);
                            prefix.truncate(group);
                        }
                        Some(_) => i += 1,
                    }
                }
                prefix.truncate(depth);
                return i;
            }
            Some(seg) if is_ident(seg) => {
                prefix.push(seg.to_string());
                i += 2;
            }
            _ => break,
        }
    }
    out.push(prefix.clone());
    prefix.truncate(depth);
    i
}

/// The tokens without `#[cfg(test)]` items (test code is not part of the module graph) and
/// with the `super`s inside an inline module that only leave that module dropped.
fn without_test_modules(tokens: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    // Per open brace: whether it opened an inline module.
    let mut braces: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let cfg_test = t == "#"
            && tokens.get(i + 1..i + 7).is_some_and(|w| {
                w.iter()
                    .map(String::as_str)
                    .eq(["[", "cfg", "(", "test", ")", "]"])
            });
        if cfg_test {
            // Skip the attribute and the item it guards: up to its `;` or its matching `}`.
            let mut j = i + 7;
            let mut depth = 0usize;
            while j < tokens.len() {
                match tokens[j].as_str() {
                    "{" => depth += 1,
                    "}" => {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    ";" if depth == 0 => {
                        j += 1;
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
            i = j;
            continue;
        }
        match t {
            "{" => {
                let inline = i >= 2 && tokens[i - 2] == "mod";
                braces.push(inline);
            }
            "}" => {
                braces.pop();
            }
            "super" if tokens.get(i + 1).map(String::as_str) == Some("::") => {
                // `super` inside inline modules first leaves those.
                let inline = braces.iter().filter(|b| **b).count();
                let mut k = i;
                let mut left = inline;
                while left > 0
                    && tokens.get(k).map(String::as_str) == Some("super")
                    && tokens.get(k + 1).map(String::as_str) == Some("::")
                {
                    k += 2;
                    left -= 1;
                }
                if k > i {
                    out.push("self".to_string());
                    out.push("::".to_string());
                    i = k;
                    continue;
                }
            }
            _ => {}
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// The modules a file declares with `mod name;`.
fn declared_modules(code: &str) -> BTreeSet<String> {
    let tokens = tokenize(code);
    tokens
        .windows(3)
        .filter(|w| w[0] == "mod" && w[2] == ";" && is_ident(&w[1]))
        .map(|w| w[1].clone())
        .collect()
}

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn tokenize(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(code[i..end].to_string());
        } else if c == ':' && chars.peek().map(|&(_, d)| d) == Some(':') {
            chars.next();
            out.push("::".into());
        } else if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    out
}

/// The module path a path names, as far as it names modules of this crate.
fn resolve(from: &ModPath, path: &ModPath, modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    // The module the file's own `self` is.
    let mut base: ModPath = from.clone();
    let mut segs = path.iter();
    match segs.next().map(String::as_str) {
        Some("crate") => base.clear(),
        Some("self") => {}
        Some("super") => {
            base.pop();
        }
        _ => return None,
    }
    for s in segs {
        match s.as_str() {
            "super" => {
                base.pop();
            }
            "self" => {}
            _ => {
                let mut next = base.clone();
                next.push(s.clone());
                if modules.contains(&next) {
                    base = next;
                } else {
                    break;
                }
            }
        }
    }
    Some(base)
}

/// The edge `from -> to` seen from inside `folder`: the child of `folder` each lies in.
fn node(folder: &[String], m: &ModPath) -> Option<String> {
    if m.len() < folder.len() || m[..folder.len()] != *folder {
        return None;
    }
    Some(
        m.get(folder.len())
            .cloned()
            .unwrap_or_else(|| "(mod.rs)".to_string()),
    )
}

fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's strongly connected components; a component of two or more is a cycle.
    struct T<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        if let Some(ws) = t.edges.get(v) {
            for w in ws {
                let w = w.as_str();
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    let nodes: BTreeSet<&str> = edges
        .iter()
        .flat_map(|(k, vs)| std::iter::once(k.as_str()).chain(vs.iter().map(String::as_str)))
        .collect();
    for n in nodes {
        if !t.index.contains_key(n) {
            visit(&mut t, n);
        }
    }
    t.out
}
