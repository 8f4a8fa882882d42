/* layers fixture, clean tree: generated into the build tree, layer plots */
extern const int fx_templates[2];
const int fx_templates[2] = { 1, 2 };
