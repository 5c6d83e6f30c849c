import { type FS, type Liquid, Tag, type TagToken, type TopLevelToken } from 'liquidjs';
import type { TagClass } from './waymark-tags.ts';

/** Why a template was refused at parse time; its message is the sentence the author sees. */
export class TemplateRefusal extends Error {}

const refuse = (): never => {
  throw new TemplateRefusal('templates cannot read files');
};

/**
 * The file system liquidjs is given: nothing exists and nothing can be read (SPEC L1). The second
 * wall behind refusing `include`, `render` and `layout` when parsing.
 */
export const noFileSystem: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => refuse(),
  readFileSync: refuse,
  resolve: (_dir, file) => file,
  contains: async () => false,
  containsSync: () => false,
  dirname: () => '',
  sep: '/',
  fallback: () => undefined,
};

/** A tag that reads files or other templates: refused when parsed (SPEC L1). */
export function refusedTag(name: string): TagClass {
  return class extends Tag {
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      throw new TemplateRefusal(`\`{% ${name} %}\` is not available: templates cannot read files; write the content here instead.`);
    }
    render() {}
  };
}
