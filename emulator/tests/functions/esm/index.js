// ESM syntax is accepted too (loaded with import()).
export async function main(event, context) {
  return { esm: true, name: context.functionName }
}
