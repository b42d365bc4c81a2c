// Checks jsii-rosetta's translations of every README, doc-comment and docs/recipes.md example, the code
// Construct Hub shows Python, Java, C# and Go users. Needs the built assembly (`npx projen compile`).
//
// - Python: every snippet parses (python3's ast), and imports no name twice.
// - Go, C#: no object literal left without its struct type (rosetta writes `map[string]interface{}` or
//   `Dictionary<string, object>` when it cannot tell the struct).
// - Every language: a translation exists, and no TypeScript is left in it (`const x =`, `=>` outside C#).
// Java, C# and Go are not compiled: their toolchains and the CDK's packages for them are out of reach here.
// jsii-rosetta 6's Go is not valid Go whatever the TypeScript (it leaves struct types unqualified, imports
// aws-cdk-lib's submodules from the wrong path, and writes a `{ cluster }` shorthand property as
// `Cluster: Cluster`), so Go is held to the checks above only.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Properties whose type is a map in every language, so a map literal is their correct translation:
 * IAM policy conditions (`PolicyStatementProps.conditions`, `{ [key: string]: any }`).
 */
const MAP_TYPED = /\b(Conditions|Properties)\s*[:=]|"String(Equals|Like)"\s*:/;

const root = path.join(__dirname, '..');
const env = { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' };
const LANGUAGES = ['python', 'java', 'csharp', 'go'] as const;
type Language = typeof LANGUAGES[number];

interface Snippet {
  readonly where: string;
  readonly translations: Record<Language, string | undefined>;
}

/** The snippets of a tablet, each named after where it comes from. */
function snippetsOf(tabletFile: string, source: string): Snippet[] {
  const tablet = JSON.parse(fs.readFileSync(tabletFile, 'utf8'));
  return Object.values<any>(tablet.snippets).map((snippet) => {
    const api = snippet.location?.api ?? {};
    const field = snippet.location?.field ?? {};
    const where = api.api === 'moduleReadme' ? `${source}:${field.line}` : `doc comment of ${api.fqn}${api.memberName ? `#${api.memberName}` : ''}`;
    const translations = Object.fromEntries(LANGUAGES.map((language) => [language, snippet.translations?.[language]?.source]));
    return { where, translations: translations as Snippet['translations'] };
  });
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-translations-'));
const snippets: Snippet[] = [];
try {
  // The README and the doc comments: rosetta:check's own extraction, which reuses its tablet when nothing changed.
  execFileSync('npx', ['jsii-rosetta', 'extract', '--strict', '--fail', '.jsii'], { cwd: root, stdio: 'inherit', env });
  snippets.push(...snippetsOf(path.join(root, '.jsii.tabl.json'), 'README.md'));
  const recipes = path.join(scratch, 'recipes.tabl.json');
  execFileSync('npx', ['ts-node', '--transpile-only', '--project', 'scripts/tsconfig.json', 'scripts/rosetta-recipes.ts', '--tablet', recipes], { cwd: root, stdio: 'inherit', env });
  snippets.push(...snippetsOf(recipes, 'docs/recipes.md'));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

const problems: string[] = [];
for (const snippet of snippets) {
  for (const language of LANGUAGES) {
    const code = snippet.translations[language];
    if (!code?.trim()) {
      problems.push(`${snippet.where} (${language}): no translation`);
      continue;
    }
    // String literals are left out, multi-line ones and others: a recipe may hold a Lambda function's JavaScript source in one.
    const lines = withoutMultilineStrings(code).split('\n');
    for (const [pattern, what] of artefacts(language)) {
      for (const line of lines.filter((l) => pattern.test(withoutStrings(l)) && !MAP_TYPED.test(l))) {
        problems.push(`${snippet.where} (${language}): ${what}: ${line.trim()}`);
      }
    }
  }
}

// Python: one python3 run parses every snippet and looks for names imported twice.
const PYTHON_CHECK = `
import ast, json, sys
for where, source in json.load(sys.stdin):
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        print(f"{where} (python): {e.msg} at line {e.lineno}: {(e.text or '').strip()}")
        continue
    seen = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                name = alias.asname or alias.name
                if name in seen:
                    print(f"{where} (python): '{name}' imported twice")
                seen.add(name)
`;
const pythonSnippets = snippets.filter((s) => s.translations.python).map((s) => [s.where, s.translations.python]);
const pythonProblems = execFileSync('python3', ['-c', PYTHON_CHECK], { input: JSON.stringify(pythonSnippets), encoding: 'utf8' });
problems.push(...pythonProblems.split('\n').filter((line) => line.trim()));

/** Code without its multi-line string literals: Python and Java triple quotes, Go raw strings, C# verbatim strings. */
function withoutMultilineStrings(code: string): string {
  return code.replace(/"""[\s\S]*?"""|`[\s\S]*?`|@"(?:[^"]|"")*"/g, '""');
}

/** A line with the contents of its string literals removed. */
function withoutStrings(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
}

/** Lines that betray a translation rosetta could not do properly, by language. */
function artefacts(language: Language): Array<[RegExp, string]> {
  const typescript: Array<[RegExp, string]> = [[/^\s*(const|let) \w+ =/, 'TypeScript declaration left untranslated']];
  switch (language) {
    case 'go':
      return [...typescript, [/=>/, 'TypeScript arrow left untranslated'], [/map\[string\]interface\{\}/, 'object literal without its struct type']];
    case 'csharp':
      return [...typescript, [/Dictionary<string, object>/, 'object literal without its struct type']];
    default:
      return [...typescript, [/=>/, 'TypeScript arrow left untranslated']];
  }
}

if (problems.length > 0) {
  console.error(`jsii-rosetta translations with problems (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`${snippets.length} examples translated to ${LANGUAGES.join(', ')}: every Python snippet parses, no translation artefact found`);
