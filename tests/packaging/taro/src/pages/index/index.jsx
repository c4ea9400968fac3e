import { useState } from "react";
import { View } from "@tarojs/components";
import { useLoad } from "@tarojs/taro";
import { calls } from "../../calls";

export default function Index() {
  const [result, setResult] = useState(null);
  useLoad((query) => {
    calls(decodeURIComponent(query.emulator)).then(setResult, (e) => setResult({ failed: String((e && e.stack) || e) }));
  });
  return <View>{result ? JSON.stringify(result) : "calling"}</View>;
}
