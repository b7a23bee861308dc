/**
 * The fixed choices of command-line options, kept apart from the commands so that `rplc --help`
 * and option parsing load no command code (each command is imported only when it runs).
 */
export const FORMATS = ["human", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export const REPORTERS = ["human", "junit", "json"] as const;
export type Reporter = (typeof REPORTERS)[number];
