/** Removes secrets from text bound for a log: registered values and anything shaped like a bearer token. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    if (secret.length >= 8) this.secrets.add(secret);
  }

  redact(text: string): string {
    let t = text;
    for (const s of this.secrets) t = t.split(s).join('***');
    return t.replace(/Bearer\s+[\w.~+/-]+=*/gi, 'Bearer ***').replace(/sk-ant-[\w-]{8,}/g, 'sk-ant-***');
  }
}
