// A server component rendering a client component that imports cloudbase-fn: `next build`
// pre-renders it on the server (the package loads there too), then the browser runs its calls.
import Calls from "./calls";

export default function Page() {
  return <Calls />;
}
