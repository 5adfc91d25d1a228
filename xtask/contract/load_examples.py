"""Loads every valid example body in schemas/examples into the Python models that
datamodel-code-generator made from schemas/openapi.json; run by `cargo xtask contract`.

Usage: python load_examples.py MODELS_DIR EXAMPLES_DIR
"""
import json
import pathlib
import sys

sys.path.insert(0, sys.argv[1])
import models  # noqa: E402  (generated)

MODELS = {
    "trash": models.TrashRequest,
    "restore": models.RestoreRequest,
    "purge": models.PurgeRequest,
}

loaded = 0
failures = []
for operation, model in MODELS.items():
    for path in sorted(pathlib.Path(sys.argv[2], operation).glob("valid-*.json")):
        try:
            model.model_validate(json.loads(path.read_text()))
            loaded += 1
        except Exception as error:  # a pydantic ValidationError, or anything else
            failures.append(f"{path}: {error}")

page = models.RecordingList.model_validate(
    {"items": [{"id": "a", "durationSeconds": 1.5, "sizeBytes": 10, "newField": True}]}
)
assert page.items[0].id == "a"
models.ErrorResponse.model_validate({"message": "m", "errors": [{"description": "d", "errorCode": 7}]})

for failure in failures:
    print(failure)
print(f"{loaded} valid example bodies loaded, {len(failures)} refused")
sys.exit(1 if failures or loaded == 0 else 0)
