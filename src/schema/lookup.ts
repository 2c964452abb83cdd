// Name lookups over a Schema, built once. Validation, help and completion use this
// instead of scanning the definition list.
import type { CommandDef, Definition, Member, Schema } from './model.js';

export class SchemaLookup {
  readonly schema: Schema;
  private readonly byName = new Map<string, Definition>();
  private readonly commandList: CommandDef[] = [];

  constructor(schema: Schema) {
    this.schema = schema;
    for (const def of schema.definitions) {
      this.byName.set(def.name, def);
      if (def.kind === 'command') this.commandList.push(def);
    }
  }

  commands(): readonly CommandDef[] {
    return this.commandList;
  }

  command(name: string): CommandDef | undefined {
    const def = this.byName.get(name);
    return def?.kind === 'command' ? def : undefined;
  }

  definition(name: string): Definition | undefined {
    return this.byName.get(name);
  }

  /** A command's argument members, resolving `data: 'TypeName'` to that struct's members. */
  commandArgs(cmd: CommandDef): Member[] {
    if (cmd.argsType) return this.structMembers(cmd.argsType);
    return cmd.args;
  }

  /** All members of a struct including those inherited from its base chain. */
  structMembers(name: string): Member[] {
    const def = this.byName.get(name);
    if (!def) return [];
    if (def.kind === 'struct') {
      return [...(def.base ? this.structMembers(def.base) : []), ...def.members];
    }
    if (def.kind === 'union') {
      return typeof def.base === 'string' ? this.structMembers(def.base) : def.base;
    }
    return [];
  }
}
