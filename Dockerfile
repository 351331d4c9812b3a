# Production image: gunicorn serves the app, whitenoise serves the collected static files.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md requirements/production.txt ./
COPY timedoctor ./timedoctor
COPY companies ./companies
COPY integrations ./integrations
COPY tracking ./tracking
COPY sync ./sync
COPY templates ./templates
COPY static ./static
COPY manage.py ./
# The emulators are demo and test tools: not shipped.
RUN rm -rf integrations/providers/*/emulator integrations/providers/emulator_kit \
    && pip install --require-hashes -r production.txt && pip install --no-deps . \
    && SECRET_KEY=collectstatic-only EMAIL_URL=consolemail:// SITE_URL=http://build.invalid \
       FIELD_ENCRYPTION_KEYS="$(python -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())')" \
       python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 app && mkdir -p /app/var && chown app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "timedoctor.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
