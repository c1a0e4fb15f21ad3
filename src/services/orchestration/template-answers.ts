import type { RequestContext } from '../../context.js';
import { entityNotFound, HeatFault } from './errors.js';
import type { TypeRegistry } from './resources/registry.js';
import type { ResourceType } from './resources/types.js';
import { validateView as validateResult, type ValidateInput } from './views/validate.view.js';

/**
 * What Heat answers about templates and resource types without a stack: validate, and the
 * resource type list and schemas. The base of the service's read half (StackReads).
 */
export class TemplateAnswers {
  constructor(readonly types: TypeRegistry) {}

  /** `POST /validate`: the template's description, parameters, groups and environment. */
  async validateTemplate(
    ctx: RequestContext,
    input: ValidateInput,
  ): Promise<Record<string, unknown>> {
    void ctx;
    // Heat's Stack.validate checks user parameters against the template (UnknownUserParameter
    // escapes validate_template's StackValidationFailed handler, so it keeps its own type).
    const section = input.template.parameters ?? input.template.Parameters;
    const declared = new Set(
      section !== null && typeof section === 'object' ? Object.keys(section) : [],
    );
    for (const k of [
      ...Object.keys(input.environment.parameters),
      ...Object.keys(input.parameters),
    ]) {
      if (!declared.has(k)) {
        throw new HeatFault(
          'UnknownUserParameter',
          `The Parameter (${k}) was not defined in template.`,
        );
      }
    }
    try {
      return validateResult(input, (type) => this.types.get(type) !== undefined);
    } catch (err) {
      // The engine answers {'Error': str(ex)} and the API turns it into a 400.
      if (err instanceof HeatFault) throw new HeatFault('HTTPBadRequest', err.message, 400);
      throw err;
    }
  }

  /** `resource type list`: names, or names with descriptions, after Heat's filters. */
  listResourceTypes(filters: {
    name: string | null;
    version: string | null;
    supportStatus: string | null;
  }): ResourceType[] {
    let pattern: RegExp | null = null;
    if (filters.name !== null) {
      try {
        pattern = new RegExp(filters.name);
      } catch {
        pattern = null;
      }
    }
    return this.types.all().filter((t) => {
      const status = t.supportStatus?.status ?? 'SUPPORTED';
      if (status === 'HIDDEN' && filters.supportStatus !== 'HIDDEN') return false;
      if (filters.supportStatus !== null && status !== filters.supportStatus) return false;
      if (filters.version !== null && (t.supportStatus?.version ?? null) !== filters.version)
        return false;
      if (filters.name !== null) {
        // Heat matches the name as a regular expression (re.match), falling back to equality.
        if (
          pattern ? !pattern.test(t.type) || t.type.search(pattern) !== 0 : t.type !== filters.name
        )
          return false;
      }
      return true;
    });
  }

  resourceType(name: string): ResourceType {
    const t = this.types.get(name);
    if (!t || t.supportStatus?.status === 'HIDDEN') throw entityNotFound('Resource Type', name);
    return t;
  }
}
