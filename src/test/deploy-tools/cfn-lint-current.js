// cfn-lint (npm, 1.9.7) with a current CloudFormation resource specification (@aws-cdk/cfnspec) instead of its
// bundled one from 2019, which refuses properties AWS added since (StreamModeDetails, ErrorOutputPrefix,
// DataFormatConversionConfiguration, ...). Usage: node cfn-lint-current.js TEMPLATE [NAME=VALUE ...]
// Parameter values are what the template is checked with. Prints one line per problem; exit 1 on any error.
const path = require('path');

const bundled = require.resolve('cfn-lint/data/aws_resources_specification.json');
const current = require('@aws-cdk/cfnspec/spec/specification.json');
require.cache[bundled] = { id: bundled, filename: bundled, loaded: true, exports: current };
const api = require('cfn-lint/lib/api');

const [template, ...assignments] = process.argv.slice(2);
if (!template) {
  console.error('usage: node cfn-lint-current.js TEMPLATE [NAME=VALUE ...]');
  process.exit(2);
}
const parameters = Object.fromEntries(assignments.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
const result = api.validateFile(path.resolve(template), { parameters });
for (const kind of ['crit', 'warn', 'info']) {
  for (const problem of result.errors[kind] || []) {
    console.log(`${kind}: ${problem.resource}: ${problem.message}`);
  }
}
console.error(`${path.basename(template)}: ${result.templateValid ? 'valid' : 'invalid'}, ${(result.errors.crit || []).length} errors`);
process.exit(result.templateValid ? 0 : 1);
