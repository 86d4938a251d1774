import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import { DuplicateServiceError, OutputConfigError, OutputDeclarationError, UnknownServiceError } from '../../src/outputs/errors.ts';
import { OutputBase, type Publication } from '../../src/outputs/output.ts';
import { checkPropertyValue, property } from '../../src/outputs/property.ts';
import { createOutput, descriptorProperty, getService, output, serviceIds, unregister } from '../../src/outputs/registry.ts';
import { delivered, type DispatchResult } from '../../src/outputs/result.ts';
import { testContext } from '../support/outputs.ts';

const context = testContext();

describe('the output registry', () => {
  afterEach(() => unregister('example-chat'));

  it('registers a service with one decorated class', () => {
    @output
    class ExampleChat extends OutputBase {
      static override readonly service = 'example-chat';
      static override readonly displayName = 'Example Chat';
      static override readonly properties = { descriptor: descriptorProperty('Example Chat', 'room'), token: property('the token', { secret: true }) };
      async dispatch(_alert: Alert, _publication: Publication): Promise<DispatchResult> {
        return delivered(this.setting('token').length.toString());
      }
    }
    expect(getService('example-chat')).toBe(ExampleChat);
    expect(serviceIds()).toContain('example-chat');
  });

  it('has the five services of the spec built in', () => {
    expect(serviceIds()).toEqual(expect.arrayContaining(['aws-lambda', 'aws-s3', 'pagerduty', 'phantom', 'slack']));
  });

  it('refuses a second class with the same service id at load', () => {
    const declare = () => {
      @output
      class Again extends OutputBase {
        static override readonly service = 'slack';
        static override readonly properties = { descriptor: descriptorProperty('Slack', 'x') };
        async dispatch(): Promise<DispatchResult> {
          return delivered();
        }
      }
      return Again;
    };
    expect(declare).toThrow(DuplicateServiceError);
    expect(declare).toThrow(/'slack' is registered twice/);
  });

  it('requires descriptor as the first property', () => {
    const declare = () => {
      @output
      class NoDescriptor extends OutputBase {
        static override readonly service = 'example-chat';
        static override readonly properties = { token: property('the token') };
        async dispatch(): Promise<DispatchResult> {
          return delivered();
        }
      }
      return NoDescriptor;
    };
    expect(declare).toThrow(OutputDeclarationError);
  });

  it('names every known service when asked for an unknown one', () => {
    expect(() => getService('slak')).toThrow(UnknownServiceError);
    expect(() => getService('slak')).toThrow(/Unknown output service 'slak'. Known services: .*pagerduty.*slack/);
  });

  it('checks property values when building an output, naming the property', () => {
    expect(() => createOutput('slack', { descriptor: 'bad descriptor', values: { url: 'https://x' } }, context)).toThrow(OutputConfigError);
    expect(() => createOutput('slack', { descriptor: 'ok', values: {} }, context)).toThrow(/slack:ok: url is required/);
  });
});

describe('property values', () => {
  const prop = property('a value');

  it('restrict spaces and colons by default, naming the character', () => {
    expect(checkPropertyValue('descriptor', prop, 'a b')).toBe('descriptor may not contain a space');
    expect(checkPropertyValue('descriptor', prop, 'a:b')).toBe('descriptor may not contain a colon (:)');
    expect(checkPropertyValue('descriptor', prop, 'ok-value')).toBeUndefined();
  });

  it('apply custom restrictions to masked values too', () => {
    const secret = property('a url', { secret: true, inputRestrictions: [' '] });
    expect(secret.maskInput && secret.credRequirement).toBe(true);
    expect(checkPropertyValue('url', secret, 'https://a b')).toBe('url may not contain a space');
    expect(checkPropertyValue('url', secret, 'https://a')).toBeUndefined();
  });

  it('require a value unless optional or defaulted', () => {
    expect(checkPropertyValue('x', prop, '')).toMatch(/required/);
    expect(checkPropertyValue('x', property('y', { optional: true }), '')).toBeUndefined();
    expect(checkPropertyValue('x', property('y', { value: 'true' }), '')).toBeUndefined();
  });
});
