// Writes RULES.md from the rule catalog (`npx projen docgen:rules`).
import { writeFileSync } from 'fs';
import { join } from 'path';
import { renderRulesMarkdown } from '../src/rules/markdown';

writeFileSync(join(__dirname, '..', 'RULES.md'), renderRulesMarkdown());
