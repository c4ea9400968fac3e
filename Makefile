# The README's two commands: `make demo` and `make test`.
.PHONY: demo test build bench size emulator-throughput

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

build:
	bash scripts/build.sh

bench:
	bash scripts/bench.sh

size:
	bash scripts/size.sh

emulator-throughput:
	bash scripts/emulator-throughput.sh
