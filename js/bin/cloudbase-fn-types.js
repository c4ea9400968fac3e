#!/usr/bin/env node
// cloudbase-fn-types --functions DIR [--out FILE] [--typescript MODULE]
//
// Writes a .d.ts exporting `interface Functions { <name>: { data: ...; result: ... } }` for the
// functions folder of the emulator's layout (DIR/<name>/index.js or index.ts), for
// `createClient<Functions>(...)`. The types are the ones TypeScript itself sees in each
// `main(event, context)`: JSDoc in JavaScript, annotations in TypeScript, and what it infers from
// the body where neither says. `data` is the type of `event`, `result` the awaited return type.
//
// How the output stays self-contained: TypeScript's declaration emit of each function's file
// (every typedef, interface and type it declares, as TypeScript would publish them) goes into a
// namespace of its own, and `Functions` names the types through it (`fn_whoami.Context`).
// Declaration emit rather than printing each named type ourselves: it is the compiler's own
// serialisation, covers every kind of declaration, and the namespaces keep two functions that use
// the same type name apart. The output is compiled once before it is written; a file that does not
// compile is an error here, never a surprise in the user's build.
//
// The compiler API comes from the user's project: `typescript` resolved from the working directory,
// then from DIR. TypeScript 7 (native) has no JavaScript API, so it needs typescript 5 or 6 next to
// it, e.g. under another name given with --typescript.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const USAGE = "usage: cloudbase-fn-types --functions DIR [--out FILE] [--typescript MODULE]";
// The function name pattern of the contract: other folders cannot be called, so they get no entry.
const NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$/;
const UNTYPED_DATA = "Record<string, unknown>";

function fail(code, message) {
  process.stderr.write(`cloudbase-fn-types: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const eq = arg.indexOf("=");
    const key = eq > 0 ? arg.slice(0, eq) : arg;
    if (!["--functions", "--out", "--typescript"].includes(key)) fail(1, `unknown argument ${arg}\n${USAGE}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "") fail(1, `${key} needs a value\n${USAGE}`);
    out[key.slice(2)] = value;
  }
  if (!out.functions) fail(1, USAGE);
  return out;
}

const INSTALL_HINT =
  "install typescript@^5 || ^6 as a dev dependency (npm install --save-dev typescript@^6); a project on " +
  "TypeScript 7 can add it under another name (npm install --save-dev typescript-api@npm:typescript@^6) " +
  "and pass --typescript typescript-api";

/** The `typescript` module of the user's project (or the one named by --typescript), resolved from cwd then DIR. */
function loadTypeScript(spec, dir) {
  const bases = [process.cwd(), dir];
  let found;
  for (const base of bases) {
    const require = createRequire(path.join(path.resolve(base), "noop.js"));
    try {
      found = { file: require.resolve(spec), require };
      break;
    } catch {
      // not from here: try the next base
    }
  }
  if (!found) fail(2, `no \`${spec}\` found from ${bases.map((b) => path.resolve(b)).join(" or ")}: ${INSTALL_HINT}`);
  const ts = found.require(found.file);
  if (typeof ts.createProgram !== "function" || typeof ts.createSourceFile !== "function") {
    fail(2, `\`${spec}\` ${ts.version ?? ""} at ${found.file} has no compiler API (TypeScript 7 is native and ships none): ${INSTALL_HINT}`);
  }
  return ts;
}

/** The function folders of DIR: [{ name, file }], sorted; versions (name@qualifier) and others left out. */
function listFunctions(dir, notes) {
  const functions = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const folder = path.join(dir, entry.name);
    if (!fs.statSync(folder).isDirectory()) continue;
    const file = ["index.ts", "index.js"].map((f) => path.join(folder, f)).find((f) => fs.existsSync(f));
    if (!file) continue;
    if (entry.name.includes("@")) {
      // DIR/<name>@<qualifier>/ is another version of <name> (X-Qualifier picks it). A map holds one
      // type per name, so versions take the unqualified folder's types.
      const base = entry.name.slice(0, entry.name.indexOf("@"));
      notes.push(`${entry.name}: a version of ${base}, which it shares its entry with (one entry per name)`);
      continue;
    }
    if (!NAME.test(entry.name)) {
      process.stderr.write(`cloudbase-fn-types: skipped ${entry.name}: not a valid function name\n`);
      continue;
    }
    functions.push({ name: entry.name, file: path.resolve(file) });
  }
  return functions;
}

/** A relative module specifier written from `fromDir`, rewritten for a file in `toDir`. */
function respecify(spec, fromDir, toDir) {
  if (!spec.startsWith("./") && !spec.startsWith("../")) return spec;
  const rel = path.relative(toDir, path.resolve(fromDir, spec)).split(path.sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

function generate(ts, dir, outFile) {
  const notes = [];
  const functions = listFunctions(dir, notes);
  const outDir = path.dirname(outFile);
  const options = {
    allowJs: true,
    declaration: true,
    emitDeclarationOnly: true,
    strict: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const program = ts.createProgram(functions.map((f) => f.file), options);
  const checker = program.getTypeChecker();
  const emitted = new Map(); // source file name -> its declaration text
  program.emit(undefined, (_name, text, _bom, _onError, sources) => {
    if (sources && sources.length === 1) emitted.set(path.resolve(sources[0].fileName), text);
  }, undefined, true);

  const printer = ts.createPrinter({ removeComments: true });
  const taken = new Set(["Functions"]);
  const hoisted = [];
  const namespaces = [];
  const entries = [];

  for (const fn of functions) {
    let ns = `fn_${fn.name.replace(/-/g, "_")}`;
    while (taken.has(ns)) ns += "_";
    taken.add(ns);
    const fromDir = path.dirname(fn.file);
    const { body, names, imports } = wrapDeclarations(ts, emitted.get(fn.file) ?? "", ns, fromDir, outDir, taken);
    const types = mainTypes(ts, checker, program.getSourceFile(fn.file), fn);
    const used = { namespace: false };
    const print = (t) => printType(ts, printer, checker, t.type, t.at, ns, names, fromDir, outDir, used);
    const data = types.data ? print(types.data) : UNTYPED_DATA;
    const result = types.result ? print(types.result) : "unknown";
    const key = /^[A-Za-z_$][\w$]*$/.test(fn.name) ? fn.name : JSON.stringify(fn.name);
    entries.push(`  ${key}: { data: ${data}; result: ${result} };`);
    // Only the namespaces `Functions` names: a function typed with inline types needs none.
    if (used.namespace) {
      hoisted.push(...imports);
      namespaces.push(`/** Declarations of ${path.relative(outDir, fn.file).split(path.sep).join("/")} */\ndeclare namespace ${ns} {\n${body}}\n`);
    }
  }

  const text = [
    `// Generated by cloudbase-fn-types from ${path.relative(outDir, dir).split(path.sep).join("/") || "."}: do not edit, run it again.`,
    "// `Functions` gives each function the type of its event (data) and of its awaited result, for",
    "// createClient<Functions>(...) from cloudbase-fn.",
    ...notes.map((n) => `// ${n}`),
    ...hoisted,
    "",
    ...namespaces,
    "export interface Functions {",
    ...entries,
    "}",
    "",
  ].join("\n");
  check(ts, options, outFile, text);
  return text;
}

/**
 * One function's declaration emit, re-indented for `declare namespace ns { ... }`: `declare`
 * modifiers dropped (the namespace is ambient), `export {}` and export assignments dropped, relative
 * module specifiers rewritten for the output's folder, and imports hoisted to the file's top as
 * `import * as ns$N` with `export import Name = ns$N.Name` inside (imports cannot stand in a
 * namespace; an alias is only visible from outside when exported, unlike the ambient declarations).
 * Returns the body, the names it declares (the ones `Functions` must qualify) and the hoisted imports.
 */
function wrapDeclarations(ts, text, ns, fromDir, outDir, taken) {
  const file = ts.createSourceFile("emitted.d.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names = new Set();
  const lines = [];
  const mine = [];
  const moduleAlias = (spec) => {
    const alias = `${ns}$${mine.length}`;
    taken.add(alias);
    mine.push(`import * as ${alias} from ${JSON.stringify(respecify(spec, fromDir, outDir))};`);
    return alias;
  };
  for (const st of file.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (!clause) continue;
      const alias = moduleAlias(st.moduleSpecifier.text);
      if (clause.name) {
        // A default import: `default` cannot follow a dot in an import alias, so a type alias it is.
        names.add(clause.name.text);
        lines.push(`export type ${clause.name.text} = ${alias}.default;`);
      }
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        names.add(bindings.name.text);
        lines.push(`export import ${bindings.name.text} = ${alias};`);
      } else if (bindings) {
        for (const el of bindings.elements) {
          names.add(el.name.text);
          lines.push(`export import ${el.name.text} = ${alias}.${(el.propertyName ?? el.name).text};`);
        }
      }
      continue;
    }
    if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
      names.add(st.name.text);
      lines.push(`export import ${st.name.text} = ${moduleAlias(st.moduleReference.expression.text)};`);
      continue;
    }
    if (ts.isExportAssignment(st) || (ts.isExportDeclaration(st) && !st.moduleSpecifier)) continue;
    if (ts.isExportDeclaration(st)) {
      // `export { a as b } from "m"`: the names it re-exports, through a hoisted import.
      if (!st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
      const alias = moduleAlias(st.moduleSpecifier.text);
      for (const el of st.exportClause.elements) {
        names.add(el.name.text);
        lines.push(`export import ${el.name.text} = ${alias}.${(el.propertyName ?? el.name).text};`);
      }
      continue;
    }
    for (const name of declaredNames(ts, st)) names.add(name);
    // Edits inside the statement: drop `declare`, rewrite relative specifiers of import("...") types.
    const edits = [];
    for (const m of st.modifiers ?? []) {
      if (m.kind === ts.SyntaxKind.DeclareKeyword) edits.push([m.getStart(file), m.end + 1, ""]);
    }
    const visit = (node) => {
      if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        const lit = node.argument.literal;
        edits.push([lit.getStart(file), lit.end, JSON.stringify(respecify(lit.text, fromDir, outDir))]);
      }
      ts.forEachChild(node, visit);
    };
    visit(st);
    let chunk = text.slice(st.pos, st.end);
    for (const [start, end, repl] of edits.sort((a, b) => b[0] - a[0])) {
      chunk = chunk.slice(0, start - st.pos) + repl + chunk.slice(end - st.pos);
    }
    lines.push(chunk.replace(/^\s*\n/, "").replace(/^\s+/, (ws) => ws.replace(/\n/g, "")));
  }
  const body = lines
    .join("\n")
    .split("\n")
    .map((l) => (l.trim() ? `    ${l}` : ""))
    .join("\n");
  return { body: body.trim() ? `${body}\n` : "", names, imports: mine };
}

function declaredNames(ts, st) {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.filter((d) => ts.isIdentifier(d.name)).map((d) => d.name.text);
  return st.name && ts.isIdentifier(st.name) ? [st.name.text] : [];
}

/** The types of main's first parameter and of its awaited return value; undefined where they are any. */
function mainTypes(ts, checker, source, fn) {
  const where = path.relative(process.cwd(), fn.file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  const main = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === "main");
  if (!main) {
    process.stderr.write(`cloudbase-fn-types: ${where} exports no main: typed as untyped\n`);
    return {};
  }
  const signatures = checker.getTypeOfSymbolAtLocation(main, source).getCallSignatures();
  if (signatures.length === 0) {
    process.stderr.write(`cloudbase-fn-types: ${where}: main is not a function: typed as untyped\n`);
    return {};
  }
  // The last signature, as Parameters<> and ReturnType<> take it from an overloaded function.
  const sig = signatures[signatures.length - 1];
  const at = sig.getDeclaration() ?? source;
  const isLoose = (t) => (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
  const out = {};
  const event = sig.getParameters()[0];
  if (event) {
    // An optional or defaulted event is still an object when it arrives (undefined is sent as {}).
    const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(event, at));
    // The body is always a JSON object: an event typed as an array, a tuple or a primitive could
    // never be sent, and the map would not compile (data must be an object); such a one is untyped.
    const members = type.isUnion() ? type.types : [type];
    const objectLike = (t) => (t.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive | ts.TypeFlags.Intersection)) !== 0 && !checker.isArrayType(t) && !checker.isTupleType(t);
    if (isLoose(type)) {
      // untyped
    } else if (members.every(objectLike)) {
      out.data = { type, at };
    } else {
      process.stderr.write(`cloudbase-fn-types: ${where}: main's event is typed ${checker.typeToString(type)}, not a JSON object: typed as untyped\n`);
    }
  }
  const returned = checker.getReturnTypeOfSignature(sig);
  const type = checker.getAwaitedType(returned) ?? returned;
  if (!isLoose(type)) out.result = { type, at };
  return out;
}

/**
 * A type as TypeScript would write it at main's declaration, then made valid outside it: the names
 * the function's own declarations define get the namespace in front (`fn_hello.HelloEvent`), and
 * relative import("...") paths are rewritten for the output's folder.
 */
function printType(ts, printer, checker, type, at, ns, names, fromDir, outDir, used) {
  const flags = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.UseStructuralFallback | ts.NodeBuilderFlags.IgnoreErrors;
  const node = checker.typeToTypeNode(type, at, flags);
  if (!node) return "unknown";
  // Type parameters declared inside the type (generic function types, mapped types) are not ours.
  const local = new Set();
  const collect = (n) => {
    if (ts.isTypeParameterDeclaration(n)) local.add(n.name.text);
    ts.forEachChild(n, collect);
  };
  collect(node);
  const qualify = (name) => {
    const left = ts.isIdentifier(name) ? name : leftmost(ts, name);
    if (!names.has(left.text) || local.has(left.text)) return name;
    used.namespace = true;
    const prefixed = ts.factory.createQualifiedName(ts.factory.createIdentifier(ns), left.text);
    return ts.isIdentifier(name) ? prefixed : replaceLeftmost(ts, name, prefixed);
  };
  const transformer = (context) => {
    const visit = (n) => {
      if (ts.isTypeReferenceNode(n)) {
        return ts.factory.updateTypeReferenceNode(n, qualify(n.typeName), ts.visitNodes(n.typeArguments, visit));
      }
      if (ts.isTypeQueryNode(n)) {
        return ts.factory.updateTypeQueryNode(n, qualify(n.exprName), ts.visitNodes(n.typeArguments, visit));
      }
      if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
        const spec = respecify(n.argument.literal.text, fromDir, outDir);
        return ts.factory.updateImportTypeNode(
          n,
          ts.factory.createLiteralTypeNode(ts.factory.createStringLiteral(spec)),
          n.attributes ?? n.assertions,
          n.qualifier,
          ts.visitNodes(n.typeArguments, visit),
          n.isTypeOf,
        );
      }
      return ts.visitEachChild(n, visit, context);
    };
    return (root) => ts.visitNode(root, visit);
  };
  const [rewritten] = ts.transform(node, [transformer]).transformed;
  const scratch = ts.createSourceFile("type.ts", "", ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  // On one line (the printer escapes line breaks inside string literals, so none is changed).
  return printer.printNode(ts.EmitHint.Unspecified, rewritten, scratch).replace(/\s*\n\s*/g, " ");
}

function leftmost(ts, name) {
  return ts.isIdentifier(name) ? name : leftmost(ts, name.left);
}

function replaceLeftmost(ts, name, replacement) {
  if (ts.isIdentifier(name.left)) return ts.factory.createQualifiedName(replacement, name.right);
  return ts.factory.createQualifiedName(replaceLeftmost(ts, name.left, replacement), name.right);
}

/** Compiles the output on its own (as the file it will be): a broken output fails here. */
function check(ts, options, outFile, text) {
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, version, ...rest) =>
    path.resolve(name) === outFile ? ts.createSourceFile(name, text, version, true) : getSourceFile.call(host, name, version, ...rest);
  const fileExists = host.fileExists;
  host.fileExists = (name) => path.resolve(name) === outFile || fileExists.call(host, name);
  // skipLibCheck off: the output is a .d.ts, which skipLibCheck would leave unchecked.
  const program = ts.createProgram([outFile], { ...options, noEmit: true, skipLibCheck: false }, host);
  // The output's own diagnostics only: the functions' sources and the libraries are not ours to judge.
  const file = program.getSourceFile(outFile);
  const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  if (diagnostics.length > 0) {
    const message = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => "\n",
    });
    fail(1, `the generated declarations do not compile (please report this with the function's types):\n${message}\n${text}`);
  }
}

const args = parseArgs(process.argv.slice(2));
const dir = path.resolve(args.functions);
if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(1, `${args.functions} is not a folder`);
const ts = loadTypeScript(args.typescript ?? "typescript", dir);
// Relative paths in the output are written from the output's folder (the working directory for stdout).
const outFile = path.resolve(args.out ?? "cloudbase-fn-functions.d.ts");
const text = generate(ts, dir, outFile);
if (args.out) {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, text);
} else {
  process.stdout.write(text);
}
