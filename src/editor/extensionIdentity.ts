/** Must match package.json `publisher`.`name`: VS Code routes `<scheme>://<this id>/...` to our URI handler. */
export const EXTENSION_ID = 'authcodeflow.auth-code-flow';

/** The one path our URI handler serves; anything else is refused. */
export const CALLBACK_PATH = '/callback';

/** Target of the loopback result page's "Return to the editor" link; it only brings the editor forward. */
export const RETURN_PATH = '/return';

export const OUTPUT_CHANNEL_NAME = 'Authorization Code Flow';

/** package.json `contributes.walkthroughs[0].id`. */
export const WALKTHROUGH_ID = 'authCodeFlow';
