# CathodeLab — the two commands of the README, plus benchmarks.
#
#   make report   set up (Debian packages), build in release mode, regenerate every report into output/ and typeset
#                 them into one document, output/CathodeLab-study.pdf
#   make test     set up (Debian packages), run the whole test suite
#   make bench    release-build benchmarks; prints medians (ONLY=stress,dense2d runs some sections)
#   make format   rewrite the Swift sources in the house style (.swift-format: 4 spaces, 120 columns)
#   make lint     check the house style without changing anything (run by make test, so by CI)
#
# Set-up installs the Debian packages below when they are missing (as root via apt-get, else via sudo).

SWIFT      ?= swift
OUT        ?= output
REPORT_PKGS = pkg-config libcairo2-dev zlib1g-dev fonts-dejavu-core fonts-dejavu-extra libcmark-gfm-dev libcmark-gfm-extensions-dev \
              libpango1.0-dev
TEST_PKGS   = $(REPORT_PKGS) poppler-utils python3 python3-jsonschema python3-pypdf python3-numpy python3-scipy slurm-wlm munge

.PHONY: report test bench gallery setup-report setup-test clean format lint

SWIFT_SOURCES = Sources studies Tests Plugins Package.swift

report: setup-report
	$(SWIFT) build -c release --product cathodelab
	.build/release/cathodelab report --out $(OUT)
	.build/release/cathodelab document --bundles $(OUT)

test: setup-test lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: setup-report
	$(SWIFT) build -c release --product cathodelab-bench
	CATHODELAB_BENCH_ONLY=$(ONLY) .build/release/cathodelab-bench

gallery: setup-report
	$(SWIFT) build -c release --product cathodelab
	.build/release/cathodelab gallery --out $(OUT)/gallery

setup-report:
	@$(call ensure_packages,$(REPORT_PKGS))

setup-test:
	@$(call ensure_packages,$(TEST_PKGS))

clean:
	rm -rf .build

format:
	$(SWIFT) format format --in-place --recursive --parallel $(SWIFT_SOURCES)

lint:
	$(SWIFT) format lint --strict --recursive --parallel $(SWIFT_SOURCES)

# Installs the Debian packages in $(1) that dpkg does not report as installed.
define ensure_packages
missing=""; \
for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  echo "installing Debian packages:$$missing"; \
  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; \
  else echo "error: need root or sudo to install:$$missing" >&2; exit 1; fi; \
  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
fi
endef
