// Vitest runs only its own folder (node/ and jest/ hold the other runners' files).
export default { test: { include: ["vitest/**/*.test.mjs"] } };
