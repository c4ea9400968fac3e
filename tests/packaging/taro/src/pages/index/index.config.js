export default definePageConfig({ navigationBarTitleText: "cloudbase-fn" });
