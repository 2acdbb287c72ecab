"""Writing demo rows idempotently: create or update, and back-date auto timestamps."""


def upsert(model, lookup, values):
    """Create or update one row; save (after full_clean) only if something changed."""
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = created or any(getattr(obj, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(obj, name, value)
    if changed:
        # The model's own validation, without the per-field database look-ups (foreign keys,
        # uniqueness, check constraints) that the database enforces on save anyway.
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        obj.save()
    return obj, created


def set_timestamps(obj, **stamps):
    """auto_now(_add) fields can only be back-dated with an UPDATE."""
    changed = {name: value for name, value in stamps.items() if getattr(obj, name) != value}
    if changed:
        type(obj).objects.filter(pk=obj.pk).update(**changed)
        for name, value in changed.items():
            setattr(obj, name, value)
