import { describe, expect, it } from 'vitest';
import { liquid, renderTemplate, templateSyntaxError, validateJourney } from '@waymark/shared';
import { document, email, setTraits } from '../engine/journeys.ts';

/** L1: templates cannot read files, whatever tag or path they try. */

const refusal = (tag: string) => `\`{% ${tag} %}\` is not available: templates cannot read files; write the content here instead.`;

describe('no file system', () => {
  it('L1 include, render and layout are refused when parsed, with one clear sentence', () => {
    expect(templateSyntaxError("{% include 'package.json' %}")).toBe(refusal('include'));
    expect(templateSyntaxError("{% render '../../etc/passwd' %}")).toBe(refusal('render'));
    expect(templateSyntaxError("{% layout 'default' %}{% block x %}x{% endblock %}")).toBe(refusal('layout'));
    expect(templateSyntaxError('{% if customer.vip %}{% for x in list %}{% include customer.file %}{% endfor %}{% endif %}')).toBe(refusal('include'));
    expect(templateSyntaxError("{% liquid\n  include 'package.json'\n%}")).toBe(refusal('include'));
  });

  it('L1 the validator reports a file tag as template-syntax on its field', () => {
    const send = document({ nodes: [['hello', 'send', email("Hi {% include 'package.json' %}")]], edges: [['trigger', 'hello']] });
    expect(validateJourney(send)).toContainEqual({ code: 'template-syntax', nodeId: 'hello', field: 'content.email.subject', message: `Liquid error in content.email.subject: ${refusal('include')}` });
    const update = document({ nodes: [['up', 'update-profile', setTraits({ op: 'set', trait: 'x', value: "{% render 'secrets.txt' %}" })]], edges: [['trigger', 'up']] });
    expect(validateJourney(update)).toContainEqual(
      expect.objectContaining({ code: 'template-syntax', nodeId: 'up', field: 'operations.0.value', message: expect.stringContaining(refusal('render')) }),
    );
  });

  it('L1 rendering such a template is an error value and puts no file into the text', () => {
    const result = renderTemplate("Before {% include 'package.json' %} after", {});
    expect(result).toEqual({ ok: false, error: refusal('include') });
  });

  it("L1 behind the refusal, the engine's file system has nothing in it", () => {
    expect(liquid.options.fs.existsSync('package.json')).toBe(false);
    expect(() => liquid.options.fs.readFileSync('package.json')).toThrow('templates cannot read files');
    expect(() => liquid.parseFileSync('package.json')).toThrow();
    expect(() => liquid.renderFileSync('package.json', {})).toThrow();
  });
});
