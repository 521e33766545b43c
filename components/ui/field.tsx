import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "./cx";

/* Shared pieces ---------------------------------------------------------- */

interface FieldBaseProps {
  /** Visible label (required). */
  label: ReactNode;
  name: string;
  /** Helper text below the control, linked via aria-describedby. */
  hint?: ReactNode;
  /** Error text (red), linked via aria-describedby; also sets aria-invalid. */
  error?: ReactNode;
  /** Defaults to a generated id. */
  id?: string;
  /** Class for the wrapper element. Use `controlClassName` for the control itself. */
  className?: string;
  controlClassName?: string;
}

const controlBase =
  "block w-full rounded-md border border-zinc-300 bg-white text-sm text-zinc-900 shadow-sm transition-colors " +
  "placeholder:text-zinc-400 hover:border-zinc-400 " +
  "disabled:cursor-not-allowed disabled:bg-zinc-100 disabled:text-zinc-500 disabled:hover:border-zinc-300 " +
  "aria-invalid:border-red-500 aria-invalid:hover:border-red-500 " +
  "dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500 dark:hover:border-zinc-600 " +
  "dark:disabled:bg-zinc-800 dark:disabled:text-zinc-400 dark:aria-invalid:border-red-500";

/** :read-only also matches <select>, so only text controls get the read-only style. */
const textControl = "read-only:bg-zinc-50 dark:read-only:bg-zinc-900/60";

const labelClass = "block text-sm font-medium text-zinc-900 dark:text-zinc-100";
const hintClass = "text-sm text-zinc-500 dark:text-zinc-400";
const errorClass = "text-sm text-red-600 dark:text-red-400";

function useFieldIds(id: string | undefined, hint: ReactNode, error: ReactNode, describedBy: string | undefined) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const ariaDescribedBy = [describedBy, hintId, errorId].filter(Boolean).join(" ") || undefined;
  return { controlId, hintId, errorId, ariaDescribedBy };
}

function RequiredMark({ required }: { required: boolean | undefined }) {
  return required ? (
    <span aria-hidden="true" className="ml-0.5 text-red-600 dark:text-red-400">
      *
    </span>
  ) : null;
}

function HelpText({ hintId, hint, errorId, error }: { hintId?: string; hint: ReactNode; errorId?: string; error: ReactNode }) {
  return (
    <>
      {hint ? (
        <p id={hintId} className={hintClass}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className={errorClass}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/* TextField --------------------------------------------------------------- */

export type TextFieldProps = FieldBaseProps & Omit<ComponentProps<"input">, "name" | "id" | "className">;

export function TextField({
  label,
  name,
  hint,
  error,
  id,
  className,
  controlClassName,
  "aria-describedby": describedBy,
  "aria-invalid": ariaInvalid,
  type = "text",
  ...props
}: TextFieldProps) {
  const ids = useFieldIds(id, hint, error, describedBy);
  return (
    <div className={cx("flex flex-col gap-1.5", className)}>
      <label htmlFor={ids.controlId} className={labelClass}>
        {label}
        <RequiredMark required={props.required} />
      </label>
      <input
        id={ids.controlId}
        name={name}
        type={type}
        aria-describedby={ids.ariaDescribedBy}
        aria-invalid={error ? true : ariaInvalid}
        className={cx(controlBase, textControl, "h-10 px-3", controlClassName)}
        {...props}
      />
      <HelpText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  );
}

/* TextAreaField ----------------------------------------------------------- */

export type TextAreaFieldProps = FieldBaseProps & Omit<ComponentProps<"textarea">, "name" | "id" | "className">;

export function TextAreaField({
  label,
  name,
  hint,
  error,
  id,
  className,
  controlClassName,
  "aria-describedby": describedBy,
  "aria-invalid": ariaInvalid,
  rows = 4,
  ...props
}: TextAreaFieldProps) {
  const ids = useFieldIds(id, hint, error, describedBy);
  return (
    <div className={cx("flex flex-col gap-1.5", className)}>
      <label htmlFor={ids.controlId} className={labelClass}>
        {label}
        <RequiredMark required={props.required} />
      </label>
      <textarea
        id={ids.controlId}
        name={name}
        rows={rows}
        aria-describedby={ids.ariaDescribedBy}
        aria-invalid={error ? true : ariaInvalid}
        className={cx(controlBase, textControl, "min-h-20 px-3 py-2", controlClassName)}
        {...props}
      />
      <HelpText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  );
}

/* SelectField ------------------------------------------------------------- */

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export type SelectFieldProps = FieldBaseProps &
  Omit<ComponentProps<"select">, "name" | "id" | "className" | "children"> & {
    options: readonly SelectOption[];
    /** Adds a first, empty-valued option (e.g. "Select a plan…"). */
    placeholder?: string;
  };

export function SelectField({
  label,
  name,
  hint,
  error,
  id,
  className,
  controlClassName,
  options,
  placeholder,
  "aria-describedby": describedBy,
  "aria-invalid": ariaInvalid,
  ...props
}: SelectFieldProps) {
  const ids = useFieldIds(id, hint, error, describedBy);
  return (
    <div className={cx("flex flex-col gap-1.5", className)}>
      <label htmlFor={ids.controlId} className={labelClass}>
        {label}
        <RequiredMark required={props.required} />
      </label>
      <div className="relative">
        <select
          id={ids.controlId}
          name={name}
          aria-describedby={ids.ariaDescribedBy}
          aria-invalid={error ? true : ariaInvalid}
          className={cx(controlBase, "h-10 appearance-none pr-9 pl-3", controlClassName)}
          {...props}
        >
          {placeholder !== undefined ? (
            <option value="" disabled={props.required}>
              {placeholder}
            </option>
          ) : null}
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </select>
        <svg
          aria-hidden="true"
          focusable="false"
          viewBox="0 0 20 20"
          fill="currentColor"
          className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-zinc-500 dark:text-zinc-400"
        >
          <path
            fillRule="evenodd"
            d="M5.23 7.21a.75.75 0 0 1 1.06.02L10 11.17l3.71-3.94a.75.75 0 1 1 1.08 1.04l-4.25 4.5a.75.75 0 0 1-1.08 0l-4.25-4.5a.75.75 0 0 1 .02-1.06Z"
            clipRule="evenodd"
          />
        </svg>
      </div>
      <HelpText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  );
}

/* CheckboxField ----------------------------------------------------------- */

export type CheckboxFieldProps = FieldBaseProps & Omit<ComponentProps<"input">, "name" | "id" | "className" | "type">;

export function CheckboxField({
  label,
  name,
  hint,
  error,
  id,
  className,
  controlClassName,
  "aria-describedby": describedBy,
  "aria-invalid": ariaInvalid,
  ...props
}: CheckboxFieldProps) {
  const ids = useFieldIds(id, hint, error, describedBy);
  return (
    <div className={cx("flex gap-3", className)}>
      <div className="flex h-5 items-center">
        <input
          id={ids.controlId}
          name={name}
          type="checkbox"
          aria-describedby={ids.ariaDescribedBy}
          aria-invalid={error ? true : ariaInvalid}
          className={cx(
            "size-4 rounded border-zinc-300 accent-accent-600 disabled:cursor-not-allowed dark:accent-accent-500",
            controlClassName,
          )}
          {...props}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.controlId} className={cx(labelClass, "leading-5")}>
          {label}
          <RequiredMark required={props.required} />
        </label>
        <HelpText hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
      </div>
    </div>
  );
}
