/** The id of the `<script type="application/json">` in which the server hands the page's API answers to the app. */
export const SERVER_STATE_ID = 'marsad-state';
