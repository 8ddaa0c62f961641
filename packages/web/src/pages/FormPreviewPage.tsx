import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph } from 'suomifi-ui-components';
import { client, unwrap, type MunicipalServiceDetail } from '../api.js';
import { asFormSchema, exampleOf, missingRequired, titleOf, type FormValue } from '../forms.js';
import { useNames } from '../session.js';
import { AppLink, ErrorAlert, Loading, PageTitle } from '../components/ui.js';
import { ErrandForm, errandFormErrors, focusErrorSummary, type FormFieldProblem } from '../components/ErrandForm.js';

const PREFIX = 'preview';

/**
 * A service's errand form without the errand API (public): fill in the example, check which
 * required fields are missing, and see the read-only summary. Nothing is sent.
 */
export function FormPreviewPage() {
  const { t } = useTranslation();
  const names = useNames();
  const { municipality = '', service = '' } = useParams();
  const [detail, setDetail] = useState<MunicipalServiceDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [value, setValue] = useState<FormValue>({});
  const [problems, setProblems] = useState<FormFieldProblem[]>([]);
  const [checkedOk, setCheckedOk] = useState(false);
  const [summary, setSummary] = useState(false);
  const [checks, setChecks] = useState(0);
  const summaryHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    setDetail(null);
    setError(null);
    unwrap(client.GET('/api/v1/municipalities/{code}/services/{serviceCode}', { params: { path: { code: municipality, serviceCode: service } } })).then(
      (d) => live && setDetail(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [municipality, service]);

  useEffect(() => {
    if (summary) summaryHeading.current?.focus();
  }, [summary]);

  // Each check that finds something takes focus to the list, also when the list is the same as before.
  useEffect(() => {
    if (checks > 0 && problems.length > 0) focusErrorSummary(PREFIX);
  }, [checks]); // eslint-disable-line react-hooks/exhaustive-deps

  const schema = useMemo(() => asFormSchema(detail?.form), [detail]);
  // Messages are made at each render, so they follow a change of language.
  const errors = useMemo(() => (schema ? errandFormErrors(schema, problems, names.lang) : []), [schema, problems, names.lang]);

  if (error) {
    return (
      <>
        <PageTitle title={t('services.title')}>{t('services.title')}</PageTitle>
        <ErrorAlert error={error} />
        <AppLink to="/services">{t('formPreview.back')}</AppLink>
      </>
    );
  }
  if (!detail) return <Loading />;
  const serviceName = detail.name[names.lang];
  if (!schema) {
    return (
      <>
        <PageTitle title={serviceName}>{serviceName}</PageTitle>
        <Paragraph mb="m">{t('formPreview.noForm')}</Paragraph>
        <AppLink to="/services">{t('formPreview.back')}</AppLink>
      </>
    );
  }
  const formTitle = titleOf(schema, names.lang, serviceName);

  const change = (v: FormValue) => {
    setValue(v);
    setCheckedOk(false);
  };
  const check = (e: FormEvent) => {
    e.preventDefault();
    const missing = missingRequired(schema, value).map((field) => ({ field, code: 'form.required' }));
    setProblems(missing);
    setCheckedOk(missing.length === 0);
    setChecks((n) => n + 1);
  };

  return (
    <>
      <PageTitle title={formTitle}>{formTitle}</PageTitle>
      <Paragraph mb="m">{t('formPreview.intro', { service: serviceName, municipality: names.municipality(municipality) })}</Paragraph>
      <div className="button-row">
        <Button
          variant="secondary"
          data-testid="fill-example"
          onClick={() => {
            change(exampleOf(schema));
            setProblems([]);
          }}
        >
          {t('formPreview.fillExample')}
        </Button>
        <Button
          variant="secondary"
          data-testid="clear-form"
          onClick={() => {
            change({});
            setProblems([]);
          }}
        >
          {t('formPreview.clear')}
        </Button>
        <Button variant="secondary" data-testid="toggle-summary" aria-pressed={summary} onClick={() => setSummary(!summary)}>
          {t('formPreview.showSummary')}
        </Button>
      </div>
      {summary ? (
        <section aria-labelledby="form-preview-summary">
          <Heading variant="h2" id="form-preview-summary" tabIndex={-1} ref={summaryHeading} mb="s">
            {t('formPreview.summaryTitle')}
          </Heading>
          <ErrandForm schema={schema} value={value} onChange={change} errors={[]} readOnly idPrefix={PREFIX} />
        </section>
      ) : (
        <form noValidate onSubmit={check} data-testid="preview-form">
          <ErrandForm schema={schema} value={value} onChange={change} errors={errors} idPrefix={PREFIX} />
          <Button type="submit" data-testid="check">{t('formPreview.check')}</Button>
        </form>
      )}
      <Paragraph mb="m" aria-live="polite" data-testid="check-result" className="check-result">
        {checkedOk && !summary ? t('formPreview.checkedOk') : ''}
      </Paragraph>
      <AppLink to="/services">{t('formPreview.back')}</AppLink>
    </>
  );
}
