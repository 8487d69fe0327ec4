// Lets TypeScript import `.sql` files as text (the bundler and vitest load them so).
declare module '*.sql' {
  const text: string;
  export default text;
}
