// Environment-agnostic stacks (no `env`): the templates name the region only as AWS::Region, as
// `cdk synth` writes them for an app deployed to whatever region the CLI is configured for.
// `node agnostic.js OUTDIR` writes the cloud assembly (run `./regenerate` to refresh the committed
// `agnostic.out/`).
'use strict';

const cdk = require('aws-cdk-lib');
const { IsolatedFargateStack } = require('./app');

const outdir = process.argv[2] || 'agnostic.out';
const app = new cdk.App({ outdir });
new IsolatedFargateStack(app, 'AgnosticFargate', { withLogsEndpoint: true });
new IsolatedFargateStack(app, 'AgnosticFargateNoLogs', { withLogsEndpoint: false });
app.synth();
