/** Join class names, skipping falsy values. (No conflict resolution: put overrides last and avoid conflicting utilities.) */
export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}
