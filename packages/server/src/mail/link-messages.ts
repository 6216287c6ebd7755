/**
 * The plain-text messages Marsad sends: invitations, password reset links and the test
 * message of the mail settings. In the recipient's language when it is known; otherwise in
 * Arabic and English, one after the other. Arabic and English are the reference texts; the
 * French, Spanish, Russian and Chinese ones await review by a native speaker, like the web
 * app's catalogues marked `_meta.reviewNeeded`.
 */
export const MAIL_LANGUAGES = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

export type LinkKind = 'invitation' | 'reset';

export interface LinkMessageInput {
  kind: LinkKind;
  url: string;
  expiresAt: Date;
  /** The address users reach Marsad at (shown so that the recipient knows where the link leads). */
  site: string;
  displayName?: string | null;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  language: MailLanguage | 'ar+en';
}

interface Texts {
  hello: (name: string | null) => string;
  invitationSubject: string;
  invitation: (site: string, expires: string) => string;
  invitationIgnore: string;
  resetSubject: string;
  reset: (site: string, expires: string) => string;
  resetKeep: string;
  testSubject: string;
  test: (site: string) => string;
}

const TEXTS: Record<MailLanguage, Texts> = {
  ar: {
    hello: (n) => (n ? `مرحبًا ${n}،` : 'مرحبًا،'),
    invitationSubject: 'دعوتك إلى مرصد',
    invitation: (site, exp) =>
      `دُعيت إلى حساب في «مرصد»، المرصد الحضري على ${site}.\nافتح هذا الرابط لتختار كلمة المرور. يعمل الرابط مرة واحدة حتى ${exp} بالتوقيت العالمي:`,
    invitationIgnore: 'إن لم تكن تنتظر هذه الدعوة فتجاهل هذه الرسالة: لا يحدث شيء ما لم يُستعمل الرابط.',
    resetSubject: 'اختيار كلمة مرور جديدة في مرصد',
    reset: (site, exp) =>
      `أصدر أحد مديري «مرصد» (${site}) رابطًا لتختار به كلمة مرور جديدة. يعمل الرابط مرة واحدة حتى ${exp} بالتوقيت العالمي:`,
    resetKeep: 'تبقى كلمة مرورك الحالية صالحة إلى أن يُستعمل الرابط. إن لم تطلب ذلك فأخبر المدير.',
    testSubject: 'مرصد: رسالة تجريبية',
    test: (site) =>
      `هذه رسالة تجريبية من «مرصد» (${site})، أُرسلت لأن أحد المديرين طلبها من إعدادات البريد. ستصل الدعوات وروابط تغيير كلمة المرور إلى أصحابها عبر هذا الخادم.`,
  },
  en: {
    hello: (n) => (n ? `Hello ${n},` : 'Hello,'),
    invitationSubject: 'Your invitation to Marsad',
    invitation: (site, exp) =>
      `You have been invited to an account on Marsad, the urban observatory at ${site}.\nOpen this link to choose your password. It works once, until ${exp} UTC:`,
    invitationIgnore:
      'If you did not expect this invitation, ignore this message: nothing happens unless the link is used.',
    resetSubject: 'Choose a new Marsad password',
    reset: (site, exp) =>
      `An administrator of Marsad (${site}) has issued a link for you to choose a new password. It works once, until ${exp} UTC:`,
    resetKeep:
      'Your current password keeps working until the link is used. If you did not ask for this, tell your administrator.',
    testSubject: 'Marsad: test message',
    test: (site) =>
      `This is a test message from Marsad (${site}), sent because an administrator asked for one in the mail settings. Invitations and password reset links will reach their recipients through this server.`,
  },
  fr: {
    hello: (n) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    invitationSubject: 'Votre invitation à Marsad',
    invitation: (site, exp) =>
      `Vous êtes invité·e à ouvrir un compte sur Marsad, l'observatoire urbain à l'adresse ${site}.\nOuvrez ce lien pour choisir votre mot de passe. Il fonctionne une seule fois, jusqu'au ${exp} UTC :`,
    invitationIgnore:
      "Si vous n'attendiez pas cette invitation, ignorez ce message : rien ne se passe tant que le lien n'est pas utilisé.",
    resetSubject: 'Choisir un nouveau mot de passe Marsad',
    reset: (site, exp) =>
      `Un administrateur de Marsad (${site}) a émis un lien pour que vous choisissiez un nouveau mot de passe. Il fonctionne une seule fois, jusqu'au ${exp} UTC :`,
    resetKeep:
      "Votre mot de passe actuel reste valable tant que le lien n'est pas utilisé. Si vous n'avez rien demandé, prévenez votre administrateur.",
    testSubject: 'Marsad : message de test',
    test: (site) =>
      `Ceci est un message de test de Marsad (${site}), envoyé à la demande d'un administrateur depuis les réglages de messagerie. Les invitations et les liens de réinitialisation du mot de passe parviendront à leurs destinataires par ce serveur.`,
  },
  es: {
    hello: (n) => (n ? `Hola, ${n}:` : 'Hola:'),
    invitationSubject: 'Su invitación a Marsad',
    invitation: (site, exp) =>
      `Ha sido invitado/a a una cuenta en Marsad, el observatorio urbano en ${site}.\nAbra este enlace para elegir su contraseña. Funciona una sola vez, hasta el ${exp} UTC:`,
    invitationIgnore:
      'Si no esperaba esta invitación, ignore este mensaje: no ocurre nada mientras no se use el enlace.',
    resetSubject: 'Elegir una nueva contraseña de Marsad',
    reset: (site, exp) =>
      `Un administrador de Marsad (${site}) ha emitido un enlace para que elija una nueva contraseña. Funciona una sola vez, hasta el ${exp} UTC:`,
    resetKeep:
      'Su contraseña actual sigue funcionando hasta que se use el enlace. Si no lo ha pedido, avise a su administrador.',
    testSubject: 'Marsad: mensaje de prueba',
    test: (site) =>
      `Este es un mensaje de prueba de Marsad (${site}), enviado porque un administrador lo pidió en la configuración del correo. Las invitaciones y los enlaces para cambiar la contraseña llegarán a sus destinatarios a través de este servidor.`,
  },
  ru: {
    hello: (n) => (n ? `Здравствуйте, ${n}!` : 'Здравствуйте!'),
    invitationSubject: 'Приглашение в Марсад',
    invitation: (site, exp) =>
      `Вас пригласили создать учётную запись в Марсаде — городской обсерватории по адресу ${site}.\nОткройте эту ссылку, чтобы выбрать пароль. Ссылка действует один раз, до ${exp} UTC:`,
    invitationIgnore:
      'Если вы не ждали этого приглашения, просто проигнорируйте письмо: пока ссылкой не воспользовались, ничего не произойдёт.',
    resetSubject: 'Новый пароль для Марсада',
    reset: (site, exp) =>
      `Администратор Марсада (${site}) выдал вам ссылку для выбора нового пароля. Ссылка действует один раз, до ${exp} UTC:`,
    resetKeep:
      'Текущий пароль действует, пока ссылкой не воспользовались. Если вы об этом не просили, сообщите администратору.',
    testSubject: 'Марсад: тестовое письмо',
    test: (site) =>
      `Это тестовое письмо от Марсада (${site}), отправленное по запросу администратора из настроек почты. Приглашения и ссылки для смены пароля будут доходить до получателей через этот сервер.`,
  },
  zh: {
    hello: (n) => (n ? `${n}，您好：` : '您好：'),
    invitationSubject: 'Marsad 账户邀请',
    invitation: (site, exp) =>
      `您受邀在 Marsad（位于 ${site} 的城市观测平台）开设账户。\n请打开以下链接设置密码。该链接只能使用一次，有效期至 ${exp}（UTC）：`,
    invitationIgnore: '如果您并未期待此邀请，请忽略本邮件：只要不使用该链接，就不会发生任何事情。',
    resetSubject: '设置新的 Marsad 密码',
    reset: (site, exp) =>
      `Marsad（${site}）的管理员为您签发了一个设置新密码的链接。该链接只能使用一次，有效期至 ${exp}（UTC）：`,
    resetKeep: '在使用该链接之前，您当前的密码仍然有效。如果这不是您本人的请求，请告知管理员。',
    testSubject: 'Marsad：测试邮件',
    test: (site) =>
      `这是一封来自 Marsad（${site}）的测试邮件，由管理员在邮件设置中请求发送。邀请和密码重置链接将通过此服务器发送给收件人。`,
  },
};

/** 2026-11-25 14:05 (UTC, the same in every language). */
function when(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

function linkBody(t: Texts, m: LinkMessageInput): string {
  const exp = when(m.expiresAt);
  const lead = m.kind === 'invitation' ? t.invitation(m.site, exp) : t.reset(m.site, exp);
  const tail = m.kind === 'invitation' ? t.invitationIgnore : t.resetKeep;
  return `${t.hello(m.displayName?.trim() || null)}\n\n${lead}\n\n${m.url}\n\n${tail}\n`;
}

const SEPARATOR = '\n— — —\n\n';

function compose(
  language: MailLanguage | undefined,
  subject: (t: Texts) => string,
  body: (t: Texts) => string,
): ComposedMessage {
  if (language) return { subject: subject(TEXTS[language]), text: body(TEXTS[language]), language };
  return {
    subject: `${subject(TEXTS.ar)} / ${subject(TEXTS.en)}`,
    text: body(TEXTS.ar) + SEPARATOR + body(TEXTS.en),
    language: 'ar+en',
  };
}

/** The message carrying an invitation or reset link. */
export function linkMessage(m: LinkMessageInput, language?: MailLanguage): ComposedMessage {
  return compose(
    language,
    (t) => (m.kind === 'invitation' ? t.invitationSubject : t.resetSubject),
    (t) => linkBody(t, m),
  );
}

/** The test message of the mail settings. */
export function testMessage(site: string, language?: MailLanguage): ComposedMessage {
  return compose(
    language,
    (t) => t.testSubject,
    (t) => `${t.test(site)}\n`,
  );
}
