// How an operation answers with a reason code other than 0000: it throws a VipFault.
export class VipFault extends Error {
  constructor(
    readonly code: string,
    readonly detail?: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(detail ?? code);
  }
}

export function fail(code: string, detail?: string, fields?: Record<string, unknown>): never {
  throw new VipFault(code, detail, fields);
}
