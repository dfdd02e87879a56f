"use strict";
// Shapes of the instance catalog. Shared by the generator and the runtime module; no Pulumi here.
Object.defineProperty(exports, "__esModule", { value: true });
