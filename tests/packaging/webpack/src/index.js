// webpack's default entry: the shared app (copied to src/app.js by the test).
import "./app.js";
