import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadProject } from '../../src/config/project.ts';
import { tempProject } from '../support/rules-project.ts';

const withDeploy = (deploy: unknown) => () => loadProject(tempProject({ 'conf/global.json': { deploy } }));

describe('deploy in conf/global.json', () => {
  it('takes the role ARNs aws-lambda-v2 outputs assume, a "*" in the name allowed; none when absent', () => {
    const roles = ['arn:aws:iam::123456789012:role/invoke', 'arn:aws-us-gov:iam::210987654321:role/path/streamalert-*'];
    expect(withDeploy({ assumeRoles: roles })().global.deploy).toEqual({ assumeRoles: roles, createOutputs: [] });
    expect(withDeploy(undefined)().global.deploy).toEqual({ assumeRoles: [], createOutputs: [] });
  });

  it.each([
    ['"*" alone', ['*']],
    ['any account', ['arn:aws:iam::*:role/invoke']],
    ['a user, not a role', ['arn:aws:iam::123456789012:user/alice']],
    ['a role name alone', ['invoke']],
  ])('refuses %s, naming the key', (_case, assumeRoles) => {
    expect(withDeploy({ assumeRoles })).toThrow(ConfigError);
    expect(withDeploy({ assumeRoles })).toThrow(/deploy\.assumeRoles\[0\] must be an IAM role ARN/);
  });

  it('refuses an unknown key', () => {
    expect(withDeploy({ assumeRole: [] })).toThrow(/assumeRole/);
  });
});
